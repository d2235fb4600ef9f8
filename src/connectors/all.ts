import type { Connector } from './types.ts';
import { connector as github } from './github/index.ts';
import { connector as google } from './google-sheets/index.ts';
import { connector as hubspot } from './hubspot/index.ts';
import { connector as monday } from './monday/index.ts';
import { connector as notion } from './notion/index.ts';
import { connector as salesforce } from './salesforce/index.ts';
import { connector as stripe } from './stripe/index.ts';
import { connector as wordpress } from './wordpress/index.ts';

/**
 * Every connector the hub ships. The composition root builds the registry
 * from this list; connectors never import each other.
 */
export const CONNECTORS: readonly Connector[] = [github, google, hubspot, monday, notion, salesforce, stripe, wordpress];
