/** The transform module's public surface: compile specs, preview them, register functions. */
export { compileMapping, type CompiledMapping, type CompileOptions, type CompileResult, type Mapper, type MapResult } from './compile.ts';
export { preview, type PreviewOptions, type PreviewResult, type PreviewRow } from './preview.ts';
export { parseSpecText } from './spec-text.ts';
export { BUILTIN_FUNCTIONS } from './functions/builtins.ts';
export { defineFunction, pathArg, type FunctionRegistry, type NamedFunction, type StepFn } from './functions/types.ts';
export { StepError, type MappingFieldError, type SpecError } from './errors.ts';
export type { ReverseGap } from './reverse.ts';
export type { Condition, EntrySpec, FieldSpec, FieldType, MappingSpec } from './spec.ts';
