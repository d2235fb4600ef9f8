/**
 * The three CRM object types the connector serves and the facts HubSpot ties
 * to each: the property that carries the last-modified time (contacts differ
 * from the rest), the singular used in webhook `subscriptionType`, and the
 * properties every normalised record documents.
 */
export type HubSpotObject = 'contacts' | 'companies' | 'deals';

export interface ObjectInfo {
  name: HubSpotObject;
  singular: 'contact' | 'company' | 'deal';
  lastModified: 'lastmodifieddate' | 'hs_lastmodifieddate';
  /** Built-in properties listed in the schema; custom ones come from the properties API. */
  documented: readonly string[];
  /** Properties usable as `UpsertInput.matchField` (unique in the portal). */
  matchFields: readonly string[];
}

export const OBJECTS: Readonly<Record<HubSpotObject, ObjectInfo>> = {
  contacts: {
    name: 'contacts', singular: 'contact', lastModified: 'lastmodifieddate',
    documented: ['email', 'firstname', 'lastname', 'phone', 'company', 'website', 'jobtitle', 'city', 'country', 'lifecyclestage', 'hs_lead_status', 'hubspot_owner_id', 'createdate', 'lastmodifieddate', 'hs_object_id'],
    matchFields: ['email'],
  },
  companies: {
    name: 'companies', singular: 'company', lastModified: 'hs_lastmodifieddate',
    documented: ['name', 'domain', 'website', 'phone', 'industry', 'city', 'country', 'numberofemployees', 'annualrevenue', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    matchFields: [],
  },
  deals: {
    name: 'deals', singular: 'deal', lastModified: 'hs_lastmodifieddate',
    documented: ['dealname', 'amount', 'closedate', 'pipeline', 'dealstage', 'dealtype', 'description', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    matchFields: [],
  },
};

/** `contact.propertyChange` → contacts; unknown object types (tickets …) → undefined. */
export function objectOfSingular(singular: string): HubSpotObject | undefined {
  return (Object.values(OBJECTS).find((o) => o.singular === singular))?.name;
}

/** HubSpot's batch endpoints take at most this many inputs. */
export const BATCH_LIMIT = 100;
/** List pages hold at most 100 records, search pages 200. */
export const LIST_PAGE_MAX = 100;
export const SEARCH_PAGE_MAX = 200;
/** Search never pages past this many results for one query. */
export const SEARCH_RESULT_CAP = 10_000;
/** Search request bodies over this many characters are refused with a 400. */
export const SEARCH_BODY_MAX = 3_000;
