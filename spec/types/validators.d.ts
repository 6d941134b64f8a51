/* Generated from spec/*.schema.json by `npm run types` (ajv standalone code). Do not edit by hand. */
import type { ErrorObject } from 'ajv';

/** A validator compiled ahead of time: true when the data matches; the last call's errors on `errors`. */
export interface PrecompiledValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export declare const fixture: PrecompiledValidator;
export declare const fixture_Feature: PrecompiledValidator;
export declare const fixture_Tolerance: PrecompiledValidator;
export declare const fixture_StageTolerance: PrecompiledValidator;
export declare const fixture_Gradcheck: PrecompiledValidator;
export declare const fixture_Provenance: PrecompiledValidator;
export declare const protocol: PrecompiledValidator;
export declare const protocol_RunnerMessage: PrecompiledValidator;
export declare const protocol_ImplementationMessage: PrecompiledValidator;
export declare const protocol_ProtocolVersion: PrecompiledValidator;
export declare const protocol_HelloRequest: PrecompiledValidator;
export declare const protocol_HelloReply: PrecompiledValidator;
export declare const protocol_RunRequest: PrecompiledValidator;
export declare const protocol_RunResult: PrecompiledValidator;
export declare const protocol_RunError: PrecompiledValidator;
export declare const protocol_Bye: PrecompiledValidator;
export declare const report: PrecompiledValidator;
export declare const report_Count: PrecompiledValidator;
export declare const report_Number: PrecompiledValidator;
