import { coalesce, concat, defaultValue, get, jsonParse, template } from './compose.ts';
import { emailNormalize, phoneCountry, phoneNormalize } from './contact.ts';
import { dateFormat } from './date.ts';
import { lookup } from './lookup.ts';
import { numberParse } from './number.ts';
import { join, lower, replace, split, trim, upper } from './text.ts';
import type { FunctionRegistry } from './types.ts';

/** Every function a spec can name without registering anything. */
export const BUILTIN_FUNCTIONS: FunctionRegistry = Object.freeze({
  trim,
  lower,
  upper,
  replace,
  split,
  join,
  email_normalize: emailNormalize,
  phone_normalize: phoneNormalize,
  phone_country: phoneCountry,
  number_parse: numberParse,
  date_format: dateFormat,
  lookup,
  default: defaultValue,
  concat,
  template,
  coalesce,
  get,
  json_parse: jsonParse,
});
