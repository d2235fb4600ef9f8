/**
 * Bulk API 2.0 job records. State names and jobInfo keys are the documented
 * ones; the moves between states are a table so a bad PATCH fails loudly.
 */
export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export const INGEST_TRANSITIONS: Record<JobState, JobState[]> = {
  Open: ['UploadComplete', 'Aborted'],
  UploadComplete: ['InProgress', 'Aborted', 'Failed'],
  InProgress: ['JobComplete', 'Failed', 'Aborted'],
  JobComplete: [],
  Failed: [],
  Aborted: [],
};

interface JobBase {
  id: string;
  object: string;
  state: JobState;
  createdDate: string;
  systemModstamp: string;
  apiVersion: number;
  lineEnding: 'LF' | 'CRLF';
  columnDelimiter: string;
  numberRecordsProcessed: number;
  startedAt: number;
  finishedAt?: number;
}

export interface IngestJob extends JobBase {
  operation: 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
  externalIdFieldName?: string;
  uploads: string[];
  numberRecordsFailed: number;
  header: string[];
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
  errorMessage?: string;
}

export interface QueryJob extends JobBase {
  operation: 'query' | 'queryAll';
  query: string;
  fields: string[];
  rows: unknown[][];
}

const common = (j: JobBase, userId: string) => ({
  id: j.id, object: j.object, createdById: userId, createdDate: j.createdDate, systemModstamp: j.systemModstamp,
  state: j.state, concurrencyMode: 'Parallel', contentType: 'CSV', apiVersion: j.apiVersion, lineEnding: j.lineEnding, columnDelimiter: j.columnDelimiter,
});

export function ingestInfo(j: IngestJob, userId: string, detail: boolean): Record<string, unknown> {
  const base = { ...common(j, userId), operation: j.operation, ...(j.externalIdFieldName ? { externalIdFieldName: j.externalIdFieldName } : {}), contentUrl: `services/data/v${j.apiVersion.toFixed(1)}/jobs/ingest/${j.id}/batches`, jobType: 'V2Ingest' };
  if (!detail) return base;
  const ms = (j.finishedAt ?? Date.now()) - j.startedAt;
  return { ...base, retries: 0, numberRecordsProcessed: j.numberRecordsProcessed, numberRecordsFailed: j.numberRecordsFailed, totalProcessingTime: ms, apiActiveProcessingTime: ms, apexProcessingTime: 0, ...(j.errorMessage ? { errorMessage: j.errorMessage } : {}) };
}

export function queryInfo(j: QueryJob, userId: string, detail: boolean): Record<string, unknown> {
  const base = { ...common(j, userId), operation: j.operation, jobType: 'V2Query' };
  if (!detail) return base;
  return { ...base, numberRecordsProcessed: j.numberRecordsProcessed, retries: 0, totalProcessingTime: (j.finishedAt ?? Date.now()) - j.startedAt };
}
