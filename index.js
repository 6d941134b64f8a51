// The package's runtime entry (package.json "exports"). conformance/implementation.ts holds only types,
// so there is nothing to call; loading it through tsx, as bin/gradspec.js loads the CLI, keeps
// `require('gradspec')` and `import 'gradspec'` working. The types are in index.d.ts.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports */
require('tsx/cjs');
module.exports = require('./conformance/implementation.ts');
