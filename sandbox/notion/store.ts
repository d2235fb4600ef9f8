import { RateWindow } from '../core/rate-window.ts';

/**
 * The fake workspace: databases, each with one data source (the 2025-09-03
 * model; older API versions see the database and its data source as one),
 * pages whose property values are kept in Notion's response shapes, users,
 * and the per-token request window.
 */
export type PropertyType = 'title' | 'rich_text' | 'email' | 'phone_number' | 'select' | 'status' | 'number' | 'date' | 'people' | 'checkbox';

export interface SelectOption {
  id: string;
  name: string;
  color: string;
  description: null;
}

export interface Property {
  id: string;
  name: string;
  type: PropertyType;
  /** select/status: options; number: format. */
  options?: SelectOption[];
  format?: string;
}

export interface DataSource {
  id: string;
  databaseId: string;
  name: string;
  properties: Property[];
}

export interface Database {
  id: string;
  title: string;
  dataSourceId: string;
  parentPageId: string;
  createdTime: string;
  lastEditedTime: string;
  inTrash: boolean;
}

export interface Page {
  id: string;
  dataSourceId: string;
  databaseId: string;
  createdTime: string;
  lastEditedTime: string;
  createdBy: string;
  lastEditedBy: string;
  inTrash: boolean;
  /** Property id → the value in Notion's response shape (e.g. a rich-text array for title). */
  values: Map<string, unknown>;
}

export interface User {
  id: string;
  name: string;
  type: 'person' | 'bot';
  email?: string;
}

export interface NotionState {
  workspaceId: string;
  workspaceName: string;
  botId: string;
  integrationId: string;
  databases: Map<string, Database>;
  dataSources: Map<string, DataSource>;
  pages: Map<string, Page>;
  users: Map<string, User>;
  window: RateWindow | null;
}

/** Deterministic UUIDs from the fake's seeded random. */
export function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function createState(): NotionState {
  const users = new Map<string, User>();
  const people: [string, string, string][] = [
    ['0f1e2d3c-0000-4000-a000-000000000001', 'Ada Lovelace', 'ada@example.com'],
    ['0f1e2d3c-0000-4000-a000-000000000002', 'Grace Hopper', 'grace@example.com'],
    ['0f1e2d3c-0000-4000-a000-000000000003', 'Alan Turing', 'alan@example.com'],
  ];
  for (const [id, name, email] of people) users.set(id, { id, name, email, type: 'person' });
  const botId = '0f1e2d3c-0000-4000-a000-0000000000b0';
  users.set(botId, { id: botId, name: 'Switchyard Sandbox', type: 'bot' });
  return {
    workspaceId: '0f1e2d3c-0000-4000-a000-0000000000f0',
    workspaceName: 'Sandbox Workspace',
    botId,
    integrationId: '0f1e2d3c-0000-4000-a000-0000000000c0',
    databases: new Map(),
    dataSources: new Map(),
    pages: new Map(),
    users,
    window: null,
  };
}

/** Notion stores edit times at minute precision; the knob keeps that or not. */
export function nowIso(roundToMinute: boolean, at = Date.now()): string {
  return new Date(roundToMinute ? Math.floor(at / 60_000) * 60_000 : at).toISOString();
}

export const titlePropertyOf = (ds: DataSource): Property => ds.properties.find((p) => p.type === 'title')!;
