import { z } from 'zod';
import { compilePath, pathProblem, type Getter } from '../path.ts';

/**
 * A named function usable in a `transform` pipeline. Its arguments are
 * validated once by `args` and handed to `compile`, which returns the closure
 * that runs per record. `invert`, when present, returns the step that undoes
 * this one, or the reason it cannot; reverse mappings are derived from it.
 */
export interface NamedFunction<A = any> {
  args: z.ZodType<A>;
  compile(args: A, tools: CompileTools): StepFn;
  invert?(args: A): { fn: string; args?: Record<string, unknown> } | string;
  /** Applies to each element when given an array (e.g. from a `[*]` source) instead of to the array. */
  elementwise?: boolean;
  /** One line for docs and error messages. */
  summary: string;
}

/** `value` is the output of the previous step; `record` is the whole source record. */
export type StepFn = (value: unknown, record: unknown) => unknown;

export interface CompileTools {
  /** A getter for a path already checked by the args schema. */
  path(text: string): Getter;
}

export type FunctionRegistry = Readonly<Record<string, NamedFunction>>;

/** A pipeline step as written in a spec: a bare name or `{ fn, args }`. */
export type Step = string | { fn: string; args?: Record<string, unknown> };

export const tools: CompileTools = { path: (text) => compilePath(text).get };

/** A path argument: checked at spec time so compile never meets a bad one. */
export const pathArg = z.string().superRefine((text, ctx) => {
  const problem = pathProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const noArgs = z.strictObject({});

export const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Values that every step lets through untouched, so an absent field stays absent. */
export const isAbsent = (v: unknown): v is null | undefined => v === null || v === undefined;

/** Shortcut to declare a function with inferred argument types. */
export const defineFunction = <S extends z.ZodType>(f: NamedFunction<z.output<S>> & { args: S }): NamedFunction => f as NamedFunction;
