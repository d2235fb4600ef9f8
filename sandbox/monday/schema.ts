import { buildSchema, type GraphQLSchema } from 'graphql';

/**
 * The subset of Monday's API schema (2025-07/2026-01 names and argument
 * names) the fake serves. graphql-js validates queries against it, so a
 * field the fake does not have fails the way Monday fails an unknown field.
 */
const sdl = /* GraphQL */ `
scalar JSON
scalar Date
scalar ISO8601DateTime
scalar CompareValue

enum ColumnType { name text email phone status date numbers people }
enum State { active archived deleted all }
enum BoardKind { public private share }
enum ItemsQueryOperator { and or }
enum ItemsOrderByDirection { asc desc }
enum ItemsQueryRuleOperator {
  any_of not_any_of is_empty is_not_empty greater_than greater_than_or_equals lower_than lower_than_or_equal
  between contains_text not_contains_text contains_terms starts_with ends_with within_the_next within_the_last
}
enum WebhookEventType {
  change_column_value change_name change_specific_column_value change_status_column_value change_subitem_column_value
  change_subitem_name create_column create_item create_subitem create_subitem_update create_update delete_update
  edit_update item_archived item_deleted item_moved_to_any_group item_moved_to_specific_group item_restored
  move_subitem subitem_archived subitem_deleted
}

input ItemsQueryRule { column_id: ID! compare_value: CompareValue! compare_attribute: String operator: ItemsQueryRuleOperator }
input ItemsQueryOrderBy { column_id: String! direction: ItemsOrderByDirection }
input ItemsQuery { rules: [ItemsQueryRule!] operator: ItemsQueryOperator groups: [String!] ids: [ID!] order_by: [ItemsQueryOrderBy!] }
input ItemsPageByColumnValuesQuery { column_id: String! column_values: [String]! }

type Complexity { before: Int! after: Int! query: Int! reset_in_x_seconds: Int! }
type Version { kind: String! value: String! }
type Account { id: ID! name: String! slug: String! }
type User { id: ID! name: String! email: String! enabled: Boolean! is_admin: Boolean account: Account! }

type Column { id: ID! title: String! type: ColumnType! settings_str: String! archived: Boolean! description: String width: Int }
type Group { id: ID! title: String! color: String! archived: Boolean deleted: Boolean position: String! items_page(limit: Int = 25, cursor: String, query_params: ItemsQuery): ItemsResponse! }
type Board {
  id: ID! name: String! state: State! board_kind: BoardKind! description: String workspace_id: ID items_count: Int
  updated_at: ISO8601DateTime permissions: String!
  columns(ids: [String], types: [ColumnType!]): [Column]
  groups(ids: [String]): [Group]
  items_page(limit: Int = 25, cursor: String, query_params: ItemsQuery): ItemsResponse!
}
type ItemsResponse { cursor: String items: [Item!]! }

interface ColumnValue { id: ID! type: ColumnType! text: String value: JSON column: Column! }
type TextValue implements ColumnValue { id: ID! type: ColumnType! text: String value: JSON column: Column! }
type NumbersValue implements ColumnValue { id: ID! type: ColumnType! text: String value: JSON column: Column! number: Float symbol: String direction: String }
type EmailValue implements ColumnValue { id: ID! type: ColumnType! text: String value: JSON column: Column! email: String label: String updated_at: Date }
type PhoneValue implements ColumnValue { id: ID! type: ColumnType! text: String value: JSON column: Column! phone: String country_short_name: String updated_at: Date }
type StatusValue implements ColumnValue { id: ID! type: ColumnType! text: String value: JSON column: Column! index: Int label: String is_done: Boolean updated_at: Date }
type DateValue implements ColumnValue { id: ID! type: ColumnType! text: String value: JSON column: Column! date: String time: String updated_at: Date }
type PeopleEntity { id: ID! kind: String }
type PeopleValue implements ColumnValue { id: ID! type: ColumnType! text: String value: JSON column: Column! persons_and_teams: [PeopleEntity!] updated_at: Date }

type Item {
  id: ID! name: String! state: State created_at: Date updated_at: Date creator_id: String!
  board: Board group: Group url: String!
  column_values(ids: [String!], types: [ColumnType!]): [ColumnValue!]!
}

type Webhook { id: ID! board_id: ID! event: WebhookEventType! config: String }

type Query {
  boards(ids: [ID!], limit: Int = 25, page: Int = 1, board_kind: BoardKind, state: State = active, workspace_ids: [ID]): [Board]
  items(ids: [ID!], limit: Int = 25, page: Int = 1, newest_first: Boolean, exclude_nonactive: Boolean): [Item]
  next_items_page(cursor: String!, limit: Int = 25): ItemsResponse!
  items_page_by_column_values(board_id: ID!, columns: [ItemsPageByColumnValuesQuery!], cursor: String, limit: Int = 25): ItemsResponse!
  me: User
  users(ids: [ID!], limit: Int, page: Int): [User]
  webhooks(board_id: ID!, app_webhooks_only: Boolean): [Webhook]
  complexity: Complexity
  version: Version!
}

type Mutation {
  create_item(board_id: ID!, item_name: String!, group_id: String, column_values: JSON, create_labels_if_missing: Boolean, position_relative_method: String, relative_to: ID): Item
  change_column_value(board_id: ID!, item_id: ID, column_id: String!, value: JSON!, create_labels_if_missing: Boolean): Item
  change_simple_column_value(board_id: ID!, item_id: ID, column_id: String!, value: String, create_labels_if_missing: Boolean): Item
  change_multiple_column_values(board_id: ID!, item_id: ID, column_values: JSON!, create_labels_if_missing: Boolean): Item
  archive_item(item_id: ID): Item
  delete_item(item_id: ID): Item
  create_webhook(board_id: ID!, url: String!, event: WebhookEventType!, config: JSON): Webhook
  delete_webhook(id: ID!): Webhook
  complexity: Complexity
}
`;

let cached: GraphQLSchema | undefined;

export function mondaySchema(): GraphQLSchema {
  cached ??= buildSchema(sdl);
  return cached;
}
