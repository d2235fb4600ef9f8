/**
 * The three CRM object types the fake serves, and the facts HubSpot ties to
 * each: its id ("0-1"), its singular name (used in webhook event types), which
 * property carries the last-modified time, and what a list returns when the
 * caller names no properties.
 */
export type ObjectType = 'contacts' | 'companies' | 'deals';

export interface ObjectTypeInfo {
  name: ObjectType;
  singular: 'contact' | 'company' | 'deal';
  typeId: '0-1' | '0-2' | '0-3';
  lastModifiedProperty: 'lastmodifieddate' | 'hs_lastmodifieddate';
  defaultProperties: string[];
  /** Properties a free-text `query` in search looks at. */
  queryProperties: string[];
  /** Property usable as `idProperty` without being declared unique. */
  naturalKey?: string;
}

export const OBJECT_TYPES: Record<ObjectType, ObjectTypeInfo> = {
  contacts: {
    name: 'contacts', singular: 'contact', typeId: '0-1', lastModifiedProperty: 'lastmodifieddate',
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    queryProperties: ['firstname', 'lastname', 'email', 'phone', 'company'],
    naturalKey: 'email',
  },
  companies: {
    name: 'companies', singular: 'company', typeId: '0-2', lastModifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    queryProperties: ['name', 'domain', 'phone', 'website'],
  },
  deals: {
    name: 'deals', singular: 'deal', typeId: '0-3', lastModifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
    queryProperties: ['dealname'],
  },
};

const ALIASES: Record<string, ObjectType> = {
  contacts: 'contacts', contact: 'contacts', '0-1': 'contacts',
  companies: 'companies', company: 'companies', '0-2': 'companies',
  deals: 'deals', deal: 'deals', '0-3': 'deals',
};

/** HubSpot accepts plural, singular and numeric type ids in paths. */
export function objectTypeOf(raw: string): ObjectType | undefined {
  return ALIASES[raw.toLowerCase()];
}

/** Properties HubSpot maintains itself; writing them is a validation error. */
export const READ_ONLY_PROPERTIES = new Set(['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_lastmodifieddate']);

/**
 * Default (unlabeled) association type ids, HUBSPOT_DEFINED category, keyed
 * `from->to`. The "primary" pairs (1/2, 5/6) are accepted as well.
 */
export const DEFAULT_ASSOCIATION_TYPES: Record<string, { typeId: number; label: string }> = {
  'contacts->companies': { typeId: 279, label: 'contact_to_company_unlabeled' },
  'companies->contacts': { typeId: 280, label: 'company_to_contact_unlabeled' },
  'deals->contacts': { typeId: 3, label: 'deal_to_contact' },
  'contacts->deals': { typeId: 4, label: 'contact_to_deal' },
  'deals->companies': { typeId: 341, label: 'deal_to_company_unlabeled' },
  'companies->deals': { typeId: 342, label: 'company_to_deal_unlabeled' },
};

/** Names the v3 `associations` block uses for a pair, e.g. `contact_to_company`. */
export function associationName(from: ObjectType, to: ObjectType): string {
  return `${OBJECT_TYPES[from].singular}_to_${OBJECT_TYPES[to].singular}`;
}

/** Which pair each HUBSPOT_DEFINED association type id joins (used to read `associations` on create). */
export const ASSOCIATION_TYPE_PAIRS: Record<number, [ObjectType, ObjectType]> = {
  1: ['contacts', 'companies'], 279: ['contacts', 'companies'],
  2: ['companies', 'contacts'], 280: ['companies', 'contacts'],
  3: ['deals', 'contacts'], 4: ['contacts', 'deals'],
  5: ['deals', 'companies'], 341: ['deals', 'companies'],
  6: ['companies', 'deals'], 342: ['companies', 'deals'],
};

/** The id HubSpot records for the other direction of each association type. */
export const REVERSE_ASSOCIATION_TYPE: Record<number, number> = {
  1: 2, 2: 1, 3: 4, 4: 3, 5: 6, 6: 5, 279: 280, 280: 279, 341: 342, 342: 341,
};
