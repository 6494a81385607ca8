/**
 * @module core/batch
 * Batch files: the one reader (CSV and JSON Lines, any byte stream) and the per-row check, shared by the
 * CLI and the HTTP batch endpoint.
 */
export {
  CSV_RESULT_COLUMNS,
  checkBatchRow,
  csvRecordLine,
  csvResultCells,
  jsonlResultLine,
  outcomeFromJsonl,
  type RowError,
  type RowOutcome,
} from './check-row'
export {
  type BatchFormat,
  type BatchRow,
  type BatchSource,
  CSV_INPUT_COLUMNS,
  printable,
  type ReadBatchOptions,
  type RowDefaults,
  readBatchRows,
} from './read-rows'
