import type { ObjectType } from './object-types.ts';

/** A property definition as `GET /crm/v3/properties/{objectType}` returns it. */
export interface PropertyDefinition {
  name: string;
  label: string;
  type: 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool' | 'phone_number';
  fieldType: string;
  groupName: string;
  description: string;
  options: { label: string; value: string; displayOrder: number; hidden: boolean }[];
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined: boolean;
  formField: boolean;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
}

type Short = [name: string, type: PropertyDefinition['type'], fieldType: string, group: string, readOnly?: boolean];

const BUILT_IN: Record<ObjectType, Short[]> = {
  contacts: [
    ['email', 'string', 'text', 'contactinformation'],
    ['firstname', 'string', 'text', 'contactinformation'],
    ['lastname', 'string', 'text', 'contactinformation'],
    ['phone', 'string', 'phonenumber', 'contactinformation'],
    ['company', 'string', 'text', 'contactinformation'],
    ['website', 'string', 'text', 'contactinformation'],
    ['jobtitle', 'string', 'text', 'contactinformation'],
    ['city', 'string', 'text', 'contactinformation'],
    ['country', 'string', 'text', 'contactinformation'],
    ['lifecyclestage', 'enumeration', 'radio', 'contactinformation'],
    ['hs_lead_status', 'enumeration', 'radio', 'sales_properties'],
    ['createdate', 'datetime', 'date', 'contactinformation', true],
    ['lastmodifieddate', 'datetime', 'date', 'contactinformation', true],
    ['hs_object_id', 'number', 'number', 'contactinformation', true],
  ],
  companies: [
    ['name', 'string', 'text', 'companyinformation'],
    ['domain', 'string', 'text', 'companyinformation'],
    ['website', 'string', 'text', 'companyinformation'],
    ['phone', 'string', 'phonenumber', 'companyinformation'],
    ['industry', 'enumeration', 'select', 'companyinformation'],
    ['city', 'string', 'text', 'companyinformation'],
    ['country', 'string', 'text', 'companyinformation'],
    ['numberofemployees', 'number', 'number', 'companyinformation'],
    ['annualrevenue', 'number', 'number', 'companyinformation'],
    ['createdate', 'datetime', 'date', 'companyinformation', true],
    ['hs_lastmodifieddate', 'datetime', 'date', 'companyinformation', true],
    ['hs_object_id', 'number', 'number', 'companyinformation', true],
  ],
  deals: [
    ['dealname', 'string', 'text', 'dealinformation'],
    ['amount', 'number', 'number', 'dealinformation'],
    ['closedate', 'datetime', 'date', 'dealinformation'],
    ['pipeline', 'enumeration', 'select', 'dealinformation'],
    ['dealstage', 'enumeration', 'radio', 'dealinformation'],
    ['dealtype', 'enumeration', 'radio', 'dealinformation'],
    ['description', 'string', 'textarea', 'dealinformation'],
    ['createdate', 'datetime', 'date', 'dealinformation', true],
    ['hs_lastmodifieddate', 'datetime', 'date', 'dealinformation', true],
    ['hs_object_id', 'number', 'number', 'dealinformation', true],
  ],
};

const EPOCH = '2019-08-06T02:43:14.491Z';

export function definition(input: Partial<PropertyDefinition> & { name: string }, hubspotDefined: boolean, now = EPOCH): PropertyDefinition {
  return {
    label: input.name, type: 'string', fieldType: 'text', groupName: 'contactinformation', description: '',
    options: [], displayOrder: -1, calculated: false, externalOptions: false, hasUniqueValue: false,
    hidden: false, formField: !hubspotDefined, createdAt: now, updatedAt: now, archived: false,
    modificationMetadata: { archivable: !hubspotDefined, readOnlyDefinition: hubspotDefined, readOnlyValue: false },
    ...input,
    hubspotDefined,
  };
}

/** Fresh per-type maps of the built-in properties; custom ones are added at runtime. */
export function builtInProperties(): Record<ObjectType, Map<string, PropertyDefinition>> {
  const out = {} as Record<ObjectType, Map<string, PropertyDefinition>>;
  for (const type of Object.keys(BUILT_IN) as ObjectType[]) {
    out[type] = new Map(BUILT_IN[type].map(([name, t, fieldType, groupName, readOnly]) => {
      const def = definition({ name, type: t, fieldType, groupName, label: labelOf(name) }, true);
      if (readOnly) def.modificationMetadata.readOnlyValue = true;
      return [name, def] as const;
    }));
  }
  return out;
}

function labelOf(name: string): string {
  return name.replace(/^hs_/, '').split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}
