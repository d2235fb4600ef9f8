import type { Connector, ModelSpec } from './types.ts';

/** Connectors by catalog id. Built once in the composition root from the connectors it ships. */
export class ConnectorRegistry {
  private readonly byProvider = new Map<string, Connector>();

  constructor(connectors: readonly Connector[]) {
    for (const c of connectors) {
      if (this.byProvider.has(c.provider)) throw new Error(`connector ${c.provider} is registered twice`);
      this.byProvider.set(c.provider, c);
    }
  }

  get(provider: string): Connector | undefined {
    return this.byProvider.get(provider);
  }

  model(provider: string, model: string): ModelSpec | undefined {
    return this.byProvider.get(provider)?.models[model];
  }

  list(): Connector[] {
    return [...this.byProvider.values()];
  }
}
