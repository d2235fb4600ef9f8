/**
 * Monday's application errors. They travel inside a GraphQL `errors` array
 * with HTTP 200 (graphql-js copies `extensions` from the thrown error), while
 * transport-level answers (auth, rate limits) have their own status and body.
 */
export class MondayApiError extends Error {
  readonly extensions: { code: string; error_data: Record<string, unknown>; status_code: number };
  constructor(message: string, code: string, errorData: Record<string, unknown> = {}, statusCode = 200) {
    super(message);
    this.name = code;
    this.extensions = { code, error_data: errorData, status_code: statusCode };
  }
}

const columnDocs = 'Please check our API documentation for the correct data structure for this column. https://developer.monday.com/api-reference/docs/change-column-values';

export const columnValueError = (reason: string, columnType: string, columnId: string): MondayApiError =>
  new MondayApiError(`invalid value - ${reason}. ${columnDocs}`, 'ColumnValueException', { column_type: columnType, column_id: columnId });

export const invalidColumnId = (columnId: string): MondayApiError =>
  new MondayApiError('This column ID doesn\'t exist for the board', 'InvalidColumnIdException', { column_id: columnId });

export const invalidBoardId = (boardId: string): MondayApiError =>
  new MondayApiError('The board does not exist. Please check your board ID and try again', 'InvalidBoardIdException', { board_id: boardId });

export const itemNotFound = (itemId: string): MondayApiError =>
  new MondayApiError(`Item not found in board`, 'InvalidItemIdException', { item_id: itemId });

export const invalidArgument = (message: string, data: Record<string, unknown> = {}): MondayApiError =>
  new MondayApiError(message, 'InvalidArgumentException', data);

export const cursorExpired = (): MondayApiError =>
  new MondayApiError('CursorExpiredError: The cursor provided for pagination has expired. Please refresh your query and obtain a new cursor.', 'CursorExpiredError');
