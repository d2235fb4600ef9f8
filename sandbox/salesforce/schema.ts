/**
 * The org's metadata: which sObjects exist and their fields. Field names and
 * key prefixes are Salesforce's real ones; the set of fields is a useful subset.
 */
export type FieldType = 'id' | 'string' | 'email' | 'phone' | 'url' | 'textarea' | 'picklist' | 'reference'
  | 'boolean' | 'double' | 'currency' | 'int' | 'percent' | 'date' | 'datetime';

export interface FieldDef {
  name: string;
  type: FieldType;
  label: string;
  /** Required on create (REQUIRED_FIELD_MISSING when absent). */
  required?: boolean;
  /** System-maintained or formula: never writable through the API. */
  readOnly?: boolean;
  externalId?: boolean;
  referenceTo?: string;
  picklist?: string[];
  defaultValue?: unknown;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  fields: FieldDef[];
}

const f = (name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef =>
  ({ name, type, label: name.replace(/__c$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'), ...extra });

const system = (): FieldDef[] => [
  f('Id', 'id', { readOnly: true, label: 'Record ID' }),
  f('IsDeleted', 'boolean', { readOnly: true, label: 'Deleted' }),
  f('OwnerId', 'reference', { referenceTo: 'User', label: 'Owner ID' }),
  f('CreatedDate', 'datetime', { readOnly: true }),
  f('CreatedById', 'reference', { readOnly: true, referenceTo: 'User', label: 'Created By ID' }),
  f('LastModifiedDate', 'datetime', { readOnly: true }),
  f('LastModifiedById', 'reference', { readOnly: true, referenceTo: 'User', label: 'Last Modified By ID' }),
  f('SystemModstamp', 'datetime', { readOnly: true, label: 'System Modstamp' }),
];

const externalId = f('External_Id__c', 'string', { externalId: true, label: 'External Id' });

export const OBJECTS: ObjectDef[] = [
  {
    name: 'Lead', label: 'Lead', labelPlural: 'Leads', keyPrefix: '00Q', custom: false,
    fields: [...system(),
      f('FirstName', 'string'), f('LastName', 'string', { required: true }), f('Name', 'string', { readOnly: true, label: 'Full Name' }),
      f('Company', 'string', { required: true }), f('Title', 'string'), f('Email', 'email'), f('Phone', 'phone'),
      f('Status', 'picklist', { picklist: ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'], defaultValue: 'Open - Not Contacted' }),
      f('LeadSource', 'picklist', { picklist: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] }),
      f('Industry', 'picklist', { picklist: ['Agriculture', 'Banking', 'Education', 'Energy', 'Retail', 'Technology'] }),
      f('AnnualRevenue', 'currency'), f('NumberOfEmployees', 'int'), f('City', 'string'), f('Country', 'string'),
      f('IsConverted', 'boolean', { readOnly: true, defaultValue: false }), externalId],
  },
  {
    name: 'Account', label: 'Account', labelPlural: 'Accounts', keyPrefix: '001', custom: false,
    fields: [...system(),
      f('Name', 'string', { required: true, label: 'Account Name' }),
      f('Type', 'picklist', { picklist: ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other'] }),
      f('Industry', 'picklist', { picklist: ['Agriculture', 'Banking', 'Education', 'Energy', 'Retail', 'Technology'] }),
      f('Website', 'url'), f('Phone', 'phone'), f('BillingCity', 'string'), f('BillingCountry', 'string'),
      f('AnnualRevenue', 'currency'), f('NumberOfEmployees', 'int'), f('Description', 'textarea'), externalId],
  },
  {
    name: 'Contact', label: 'Contact', labelPlural: 'Contacts', keyPrefix: '003', custom: false,
    fields: [...system(),
      f('AccountId', 'reference', { referenceTo: 'Account', label: 'Account ID' }),
      f('FirstName', 'string'), f('LastName', 'string', { required: true }), f('Name', 'string', { readOnly: true, label: 'Full Name' }),
      f('Email', 'email'), f('Phone', 'phone'), f('Title', 'string'), f('MailingCity', 'string'), f('MailingCountry', 'string'),
      f('LeadSource', 'picklist', { picklist: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] }), externalId],
  },
  {
    name: 'Opportunity', label: 'Opportunity', labelPlural: 'Opportunities', keyPrefix: '006', custom: false,
    fields: [...system(),
      f('AccountId', 'reference', { referenceTo: 'Account', label: 'Account ID' }),
      f('Name', 'string', { required: true }),
      f('StageName', 'picklist', { required: true, label: 'Stage', picklist: ['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'] }),
      f('CloseDate', 'date', { required: true }), f('Amount', 'currency'), f('Probability', 'percent'),
      f('IsClosed', 'boolean', { readOnly: true, defaultValue: false }), f('IsWon', 'boolean', { readOnly: true, defaultValue: false })],
  },
  {
    name: 'Foo__c', label: 'Foo', labelPlural: 'Foos', keyPrefix: 'a00', custom: true,
    fields: [...system(),
      f('Name', 'string', { label: 'Foo Name' }), f('Bar__c', 'string'), f('Amount__c', 'double'), f('Active__c', 'boolean', { defaultValue: false }),
      f('Due__c', 'date'), externalId],
  },
];

const byLower = new Map(OBJECTS.map((o) => [o.name.toLowerCase(), o]));

/** Object names are case-insensitive in URLs and SOQL. */
export function objectDef(name: string): ObjectDef | undefined {
  return byLower.get(name.toLowerCase());
}

export function fieldDef(obj: ObjectDef, name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  return obj.fields.find((x) => x.name.toLowerCase() === lower);
}

export function objectByPrefix(id: string): ObjectDef | undefined {
  return OBJECTS.find((o) => id.startsWith(o.keyPrefix));
}

const soapType: Record<FieldType, string> = {
  id: 'tns:ID', reference: 'tns:ID', boolean: 'xsd:boolean', double: 'xsd:double', currency: 'xsd:double', percent: 'xsd:double',
  int: 'xsd:int', date: 'xsd:date', datetime: 'xsd:dateTime', string: 'xsd:string', email: 'xsd:string', phone: 'xsd:string',
  url: 'xsd:string', textarea: 'xsd:string', picklist: 'xsd:string',
};

/** GET /sobjects/{Type}/describe, trimmed to the keys clients read. */
export function describe(obj: ObjectDef, base: string): unknown {
  const urls = objectUrls(obj, base);
  return {
    name: obj.name, label: obj.label, labelPlural: obj.labelPlural, keyPrefix: obj.keyPrefix, custom: obj.custom,
    createable: true, updateable: true, deletable: true, queryable: true, retrieveable: true, searchable: true, undeletable: true,
    replicateable: true, triggerable: true, layoutable: true,
    urls: { ...urls, describe: `${urls.sobject}/describe`, rowTemplate: `${urls.sobject}/{ID}` },
    childRelationships: [], recordTypeInfos: [],
    fields: obj.fields.map((fd) => ({
      name: fd.name, label: fd.label, type: fd.type, soapType: soapType[fd.type], custom: fd.name.endsWith('__c'),
      nillable: !fd.required && fd.type !== 'boolean' && fd.name !== 'Id',
      createable: !fd.readOnly, updateable: !fd.readOnly, filterable: true, sortable: fd.type !== 'textarea', groupable: fd.type !== 'textarea',
      unique: fd.externalId === true, externalId: fd.externalId === true, idLookup: fd.name === 'Id' || fd.externalId === true,
      defaultedOnCreate: fd.defaultValue !== undefined || fd.readOnly === true,
      length: ['string', 'email', 'phone', 'url', 'picklist'].includes(fd.type) ? 255 : fd.type === 'textarea' ? 32000 : 0,
      precision: fd.type === 'currency' ? 18 : 0, scale: fd.type === 'currency' ? 2 : 0,
      referenceTo: fd.referenceTo ? [fd.referenceTo] : [], relationshipName: fd.referenceTo ? fd.name.replace(/Id$/, '') : null,
      picklistValues: (fd.picklist ?? []).map((v) => ({ active: true, defaultValue: v === fd.defaultValue, label: v, value: v, validFor: null })),
      calculated: fd.name === 'Name' && fd.readOnly === true,
    })),
  };
}

export function objectUrls(obj: ObjectDef, base: string): { sobject: string } {
  return { sobject: `${base}/sobjects/${obj.name}` };
}

/** One entry of the describeGlobal list. */
export function globalEntry(obj: ObjectDef, base: string): unknown {
  return {
    name: obj.name, label: obj.label, labelPlural: obj.labelPlural, keyPrefix: obj.keyPrefix, custom: obj.custom,
    createable: true, updateable: true, deletable: true, queryable: true, retrieveable: true, searchable: true, replicateable: true,
    urls: { sobject: `${base}/sobjects/${obj.name}`, describe: `${base}/sobjects/${obj.name}/describe`, rowTemplate: `${base}/sobjects/${obj.name}/{ID}` },
  };
}
