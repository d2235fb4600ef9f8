import type { Random } from '../core/faults.ts';

/**
 * Small but realistic default bodies for common topics, used when a control
 * call names a topic without a payload. Ids are 13-digit numbers as in Shopify.
 */
const id = (random: Random) => 6_000_000_000_000 + Math.floor(random() * 999_999_999_999);

export function samplePayload(topic: string, random: Random, shopDomain: string, now = new Date()): Record<string, unknown> {
  const iso = now.toISOString();
  const customer = { id: id(random), email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace', created_at: iso, updated_at: iso, state: 'enabled', currency: 'USD', tags: '' };
  const resource = topic.split('/')[0];
  if (resource === 'customers') return { ...customer, admin_graphql_api_id: `gid://shopify/Customer/${customer.id}` };
  if (resource === 'orders') {
    const orderId = id(random);
    return {
      id: orderId, admin_graphql_api_id: `gid://shopify/Order/${orderId}`, name: '#1001', order_number: 1001, email: customer.email,
      created_at: iso, updated_at: iso, currency: 'USD', total_price: '19.99', financial_status: 'paid', fulfillment_status: null,
      customer, line_items: [{ id: id(random), title: 'Sandbox T-shirt', quantity: 1, price: '19.99', sku: 'SBX-TS-1' }],
    };
  }
  if (resource === 'products') {
    const productId = id(random);
    return { id: productId, admin_graphql_api_id: `gid://shopify/Product/${productId}`, title: 'Sandbox T-shirt', handle: 'sandbox-t-shirt', status: 'active', created_at: iso, updated_at: iso, variants: [] };
  }
  if (resource === 'app') return { id: id(random), name: 'Sandbox App', domain: shopDomain };
  return { id: id(random), created_at: iso, updated_at: iso };
}
