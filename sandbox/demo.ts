/**
 * The `demo` seed: a small, realistic dataset per fake, enough to click
 * through or point a connector at. Each is the provider's own seed spec, so
 * it is data, not code; the generators draw from the fake's seeded PRNG, so
 * every run shows the same records.
 */
export const DEMO_SEEDS: Record<string, unknown> = {
  // ~25 contacts spread over a few companies, with deals linking both.
  hubspot: { generate: { companies: 4, contacts: 25, deals: 6 } },
  // Customers with their customer.created events, and some customer.updated ones.
  stripe: { generate: { customers: 15, updates: 10 } },
  // Slack and Shopify only send webhooks: there is nothing to store.
  slack: undefined,
  shopify: undefined,
  // A "Leads" board with 25 items, plus a small project board.
  monday: { generate: { boards: 2, items: 25 } },
  // A "Leads" database with 20 pages.
  notion: { generate: { pages: 20 } },
  salesforce: { generate: { accounts: 5, leads: 25, contacts: 10, opportunities: 5 } },
  wordpress: { generate: { posts: 12, pages: 3 } },
  // Issues, a few pull requests, commits and CI runs on octocat/Hello-World.
  github: { generate: { issues: 15, pulls: 3, commits: 10, runs: 3 } },
  // A header row (Name, Email, Amount, Status) and 25 rows in the default spreadsheet.
  google: { generate: { rows: 25 } },
};
