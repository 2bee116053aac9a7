export { HistoryLog, readHistory, listHistoryFiles, historyFileName, monthOf } from './log.js';
export type { HistoryFs, HistoryLogOptions, HistoryRead, HistoryFile } from './log.js';
export { computeStats, RANGE_DAYS } from './stats.js';
export type { StatsOptions } from './stats.js';
export { DailyCounts } from './daily-counts.js';
export { historyEntriesOf, naturalBreakEntry } from './recorder.js';
export { historyEventSchema, historyKinds } from '../../shared/history-event.js';
export type { HistoryEvent, HistoryKind } from '../../shared/history-event.js';
