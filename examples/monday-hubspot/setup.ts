/**
 * The reference sync as data: what `switchyard demo` and the sync tests
 * create. `POST /api/v1/syncs` takes `syncDefinition(...)` as its body.
 */
export const MAPPING_FILE = new URL('./mapping.yaml', import.meta.url).pathname;

/**
 * Real portals have `hubspot_owner_id` built in; the HubSpot fake's property
 * catalog does not, so the demo and tests declare it through the fake's seed.
 */
export const HUBSPOT_OWNER_PROPERTY_SEED = {
  properties: { contacts: [{ name: 'hubspot_owner_id', label: 'Contact owner', type: 'enumeration', fieldType: 'select', groupName: 'contactinformation' }] },
};

export function syncDefinition(ids: { mondayConnectionId: string; hubspotConnectionId: string; boardId: string; mappingId: string }) {
  return {
    name: 'Monday Leads <-> HubSpot contacts',
    source: { connectionId: ids.mondayConnectionId, model: 'items', params: { boardId: ids.boardId } },
    target: { connectionId: ids.hubspotConnectionId, model: 'contacts', params: {} },
    mappingId: ids.mappingId,
    direction: 'bidirectional' as const,
    key: { matchField: 'email', sourceMatchField: 'email' },
    conflictPolicy: 'field_merge' as const,
    conflictFallback: 'source' as const,
    triggers: ['manual', 'webhook', 'schedule'] as ('manual' | 'webhook' | 'schedule')[],
    schedule: '*/5 * * * *',
    deletePolicy: 'soft_mark' as const,
    pageSize: 500,
  };
}
