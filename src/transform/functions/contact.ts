import { z } from 'zod';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { StepError, describe } from '../errors.ts';
import { asText } from './text.ts';
import { defineFunction, isAbsent, noArgs } from './types.ts';

/** Deliberately loose: one @, a dot in the domain, no spaces. Deliverability is not our call. */
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@.]{1,63}$/;

export const emailNormalize = defineFunction({
  elementwise: true,
  summary: 'Trims, strips a `mailto:` prefix, lower-cases (the local part too unless `lowercaseLocal: false`) and checks the shape.',
  args: z.strictObject({ lowercaseLocal: z.boolean().default(true) }),
  compile: ({ lowercaseLocal }) => (v) => {
    if (isAbsent(v)) return v;
    let s = asText(v, 'email_normalize').trim();
    if (s.slice(0, 7).toLowerCase() === 'mailto:') s = s.slice(7);
    const at = s.lastIndexOf('@');
    const out = lowercaseLocal ? s.toLowerCase() : s.slice(0, at + 1) + s.slice(at + 1).toLowerCase();
    if (at < 1 || !EMAIL.test(out)) throw new StepError('invalid_email', `${describe(v)} is not an email address`);
    return out;
  },
});

const country = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as US');

export const phoneNormalize = defineFunction({
  elementwise: true,
  summary: 'Parses a phone number (national numbers in `defaultCountry`) and returns E.164; `strict` also checks the number is assigned.',
  args: z.strictObject({ defaultCountry: country.optional(), strict: z.boolean().default(false) }),
  compile: ({ defaultCountry, strict }) => {
    const opts = defaultCountry ? { defaultCountry: defaultCountry as CountryCode } : {};
    return (v) => {
      if (isAbsent(v) || v === '') return v;
      const text = asText(v, 'phone_normalize');
      const parsed = text.length <= 64 ? parsePhoneNumberFromString(text, opts) : undefined;
      if (!parsed || !(strict ? parsed.isValid() : parsed.isPossible())) {
        throw new StepError('invalid_phone', `${describe(v)} is not a ${strict ? 'valid' : 'possible'} phone number${defaultCountry ? ` for ${defaultCountry}` : ''}`);
      }
      return parsed.number;
    };
  },
});

export const phoneCountry = defineFunction({
  elementwise: true,
  summary: 'The ISO country code of an international (E.164) phone number, e.g. "+442079460958" → "GB".',
  args: noArgs,
  compile: () => (v) => {
    if (isAbsent(v) || v === '') return v;
    const text = asText(v, 'phone_country');
    const parsed = text.length <= 64 ? parsePhoneNumberFromString(text) : undefined;
    if (!parsed) throw new StepError('invalid_phone', `${describe(v)} is not an international phone number`);
    // +1 numbers outside known area codes have no single country; the calling code's main one is the honest guess.
    return parsed.country ?? (parsed.countryCallingCode === '1' ? 'US' : undefined);
  },
});
