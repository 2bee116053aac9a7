/// <reference lib="dom" />
import type { JobProgress, JobResult, JobView } from '../shared/contract.js';
import { ValidationError } from '../shared/errors.js';
import { idFromName } from '../shared/ids.js';
import type { MessageKey } from '../shared/i18n/index.js';
import { formatSchedule, parseScheduleText } from '../shared/schedule-text.js';
import type { Job } from '../shared/settings.js';
import { RequestFailed } from './bridge.js';
import { announceFailure, type Context } from './context.js';
import { h, replaceContent } from './dom.js';
import { FieldErrors } from './field-errors.js';
import { formatDateTime } from './format.js';
import { t } from './locale.js';

/** The daemon's path of a job field (`params.job.source`, `params.patch.jobs[2].source`) → the form's field. */
export function jobFieldOf(path: string | undefined): string | undefined {
  const match = /^params\.(?:job|patch\.jobs\[\d+\])\.([A-Za-z]+)/.exec(path ?? '');
  return match?.[1];
}

/** One line for a run's result: OK with the files copied, the failures, cancelled, or why it could not run. */
export function resultText(result: JobResult): string {
  switch (result.outcome) {
    case 'ok':
      return t('ui.backups.result.ok', { files: result.filesCopied });
    case 'failed':
      return t('ui.backups.result.failed', { failed: result.filesFailed });
    case 'cancelled':
      return t('ui.backups.result.cancelled');
    case 'error':
      return t('ui.backups.result.error', { error: result.error ?? '' });
    case 'interrupted':
      return t('ui.backups.result.interrupted');
  }
}

/** `job` with the form's fields over it; an emptied name goes back to the default (the id). */
function edited(job: Job, fields: Partial<Job>): Job {
  const next: Job = { ...job, ...fields };
  if (fields.name === undefined) delete next.name;
  return next;
}

interface Form {
  name: HTMLInputElement;
  source: HTMLInputElement;
  destination: HTMLInputElement;
  schedule: HTMLInputElement;
  errors: FieldErrors;
}

/**
 * The Backups panel: the daemon's copy jobs with their last and next run, Run now / Cancel with live
 * progress (`job` events), add and edit (folders typed, or chosen in the OS dialog when the app gives
 * `pickFolder`), delete, and each job's history with its failed files.
 */
export class BackupsPanel {
  readonly element = h('section', { class: 'panel backups', 'aria-labelledby': 'backups-heading' });
  readonly #context: Context;
  readonly #pickFolder: (() => Promise<string | null>) | undefined;
  readonly #list = h('ul', { class: 'job-list', 'data-testid': 'backup-list' });
  readonly #editor = h('div');
  #jobs: readonly JobView[] = [];
  /** Live progress by job id, from `job` events (newer than the last status). */
  readonly #progress = new Map<string, JobProgress>();
  /** The job whose history is open, and its runs. */
  #history: { id: string; runs: readonly JobResult[] } | null = null;
  #editing: JobView | null | undefined = undefined;
  #form: Form | null = null;

  constructor(context: Context, pickFolder?: () => Promise<string | null>) {
    this.#context = context;
    this.#pickFolder = pickFolder;
  }

  render(): void {
    replaceContent(
      this.element,
      h(
        'div',
        { class: 'panel-head' },
        h('h2', { id: 'backups-heading' }, t('ui.backups.heading')),
        h(
          'button',
          {
            type: 'button',
            class: 'primary',
            'data-testid': 'backup-add',
            on: { click: () => this.#open(null) },
          },
          t('ui.backups.add'),
        ),
      ),
      this.#editor,
      this.#list,
    );
    if (this.#editing !== undefined) this.#open(this.#editing);
    this.#renderList();
  }

  /** The jobs as the daemon's status shows them. */
  update(jobs: readonly JobView[]): void {
    this.#jobs = jobs;
    for (const job of jobs) if (job.state !== 'running') this.#progress.delete(job.id);
    this.#renderList();
  }

  /** A `job` event: progress while running; a finished run refreshes an open history. */
  onJobEvent(event: { id: string; phase: string; progress?: JobProgress | undefined }): void {
    if (event.phase === 'progress' && event.progress) this.#progress.set(event.id, event.progress);
    if (event.phase === 'finished') {
      this.#progress.delete(event.id);
      if (this.#history?.id === event.id) void this.#loadHistory(event.id);
    }
    this.#renderList();
  }

  #renderList(): void {
    if (this.#jobs.length === 0) {
      replaceContent(this.#list, h('li', { class: 'empty' }, t('ui.backups.empty')));
      return;
    }
    replaceContent(
      this.#list,
      this.#jobs.map((job) => this.#item(job)),
    );
  }

  #item(job: JobView): HTMLElement {
    const busy = job.state !== 'idle';
    const progress = this.#progress.get(job.id) ?? job.progress;
    const last = job.lastResult;
    const button = (key: MessageKey, testid: string, click: () => void, extra: Record<string, string> = {}) =>
      h(
        'button',
        { type: 'button', class: 'small', 'data-testid': `${testid}-${job.id}`, ...extra, on: { click } },
        t(key),
      );
    const historyOpen = this.#history?.id === job.id;
    return h(
      'li',
      { class: 'job', 'data-testid': `backup-item-${job.id}`, 'data-state': job.state },
      h(
        'div',
        { class: 'job-main' },
        h('div', { class: 'job-name' }, job.displayName),
        h(
          'div',
          { class: 'job-paths muted' },
          h('code', {}, job.source),
          ' → ',
          h('code', {}, job.destination),
        ),
        h(
          'div',
          { class: 'job-meta muted', 'data-testid': `backup-last-${job.id}` },
          last
            ? t('ui.backups.lastRun', { time: formatDateTime(last.finishedAt), result: resultText(last) })
            : t('ui.backups.neverRun'),
        ),
        h(
          'div',
          { class: 'job-meta muted', 'data-testid': `backup-next-${job.id}` },
          job.nextDueAt === null
            ? t('ui.backups.noNextRun')
            : t('ui.backups.nextRun', { time: formatDateTime(job.nextDueAt) }),
        ),
        busy && this.#progressView(job, progress),
      ),
      h(
        'div',
        { class: 'job-actions' },
        busy
          ? button(
              'ui.backups.stop',
              'backup-cancel',
              () => void this.#act('job.cancel', job, 'ui.backups.cancelled'),
              {
                class: 'small danger',
              },
            )
          : button(
              'ui.backups.runNow',
              'backup-run',
              () => void this.#act('job.run', job, 'ui.backups.started'),
            ),
        button(
          historyOpen ? 'ui.backups.hideHistory' : 'ui.backups.history',
          'backup-history',
          () => void this.#toggleHistory(job.id),
        ),
        !busy && button('ui.backups.edit', 'backup-edit', () => this.#open(job)),
        !busy &&
          button(
            'ui.backups.delete',
            'backup-delete',
            () => void this.#act('job.remove', job, 'ui.backups.removed'),
            {
              class: 'small danger',
            },
          ),
      ),
      historyOpen && this.#historyView(this.#history?.runs ?? []),
    );
  }

  #progressView(job: JobView, progress: JobProgress | null): HTMLElement {
    const percent =
      progress && progress.bytesTotal > 0 ? Math.floor((progress.bytesDone / progress.bytesTotal) * 100) : 0;
    return h(
      'div',
      { class: 'job-progress', 'data-testid': `backup-progress-${job.id}` },
      h('progress', { max: 100, value: percent }),
      h(
        'span',
        { class: 'muted' },
        job.state === 'queued' && !progress
          ? t('ui.backups.queued')
          : t('ui.backups.progress', {
              files: progress?.filesDone ?? 0,
              total: progress?.filesTotal ?? 0,
              percent,
            }),
      ),
    );
  }

  #historyView(runs: readonly JobResult[]): HTMLElement {
    if (runs.length === 0) return h('p', { class: 'job-history empty' }, t('ui.backups.historyEmpty'));
    return h(
      'ol',
      { class: 'job-history', 'data-testid': 'backup-history-list' },
      [...runs].reverse().map((run) =>
        h(
          'li',
          { 'data-outcome': run.outcome },
          h('span', {}, `${formatDateTime(run.finishedAt)} — ${resultText(run)}`),
          run.failures.length > 0 &&
            h(
              'ul',
              { class: 'job-failures', 'data-testid': 'backup-failures' },
              run.failures.map((failure) => h('li', {}, t('ui.backups.failure', failure))),
            ),
        ),
      ),
    );
  }

  async #toggleHistory(id: string): Promise<void> {
    if (this.#history?.id === id) {
      this.#history = null;
      this.#renderList();
      return;
    }
    await this.#loadHistory(id);
  }

  async #loadHistory(id: string): Promise<void> {
    try {
      const runs = await this.#context.call('job.history', { id });
      this.#history = { id, runs };
      this.#renderList();
    } catch (error) {
      announceFailure(this.#context, error);
    }
  }

  async #act(method: 'job.run' | 'job.cancel' | 'job.remove', job: JobView, done: MessageKey): Promise<void> {
    try {
      await this.#context.call(method, { id: job.id });
      this.#context.announcer.say(t(done, { name: job.displayName }));
      if (method === 'job.remove' && this.#history?.id === job.id) this.#history = null;
      await this.#context.refresh();
    } catch (error) {
      announceFailure(this.#context, error);
    }
  }

  // ─── The editor ────────────────────────────────────────────────────────────

  #open(job: JobView | null): void {
    this.#editing = job;
    const errors = new FieldErrors();
    const input = (id: string, value: string, extra: Record<string, string> = {}) =>
      h('input', {
        id,
        'data-testid': id,
        type: 'text',
        value,
        autocomplete: 'off',
        spellcheck: 'false',
        ...extra,
      });
    const name = input('backup-name', job?.name ?? '');
    const source = input('backup-source', job?.source ?? '');
    const destination = input('backup-destination', job?.destination ?? '');
    const schedule = input('backup-schedule', job ? formatSchedule(job.schedule) : 'daily 18:00', {
      'aria-describedby': 'backup-schedule-hint',
    });
    this.#form = { name, source, destination, schedule, errors };
    const field = (key: string, control: HTMLInputElement, label: string, ...extra: (Node | false)[]) =>
      h(
        'div',
        { class: 'field' },
        h('label', { for: control.id }, label),
        ...extra,
        errors.slot(key, control, `${control.id}-error`),
      );
    const folder = (key: string, control: HTMLInputElement, label: string) =>
      field(
        key,
        control,
        label,
        h(
          'div',
          { class: 'inline' },
          control,
          this.#pickFolder !== undefined &&
            h(
              'button',
              {
                type: 'button',
                'data-testid': `${control.id}-browse`,
                'aria-label': t('ui.backups.browseLabel', { field: label }),
                on: { click: () => void this.#browse(control) },
              },
              t('ui.backups.browse'),
            ),
        ),
      );
    const form = h(
      'form',
      {
        class: 'editor',
        novalidate: true,
        'data-testid': 'backup-editor',
        on: {
          submit: (event) => {
            event.preventDefault();
            void this.#save();
          },
          keydown: (event) => {
            if (event.key === 'Escape') this.#close();
          },
        },
      },
      h('h3', {}, job ? t('ui.backups.editHeading', { name: job.displayName }) : t('ui.backups.addHeading')),
      field('name', name, t('ui.backups.name'), name),
      folder('source', source, t('ui.backups.source')),
      folder('destination', destination, t('ui.backups.destination')),
      field(
        'schedule',
        schedule,
        t('ui.backups.schedule'),
        schedule,
        h('p', { id: 'backup-schedule-hint', class: 'hint' }, t('ui.backups.scheduleHint')),
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', 'data-testid': 'backup-save' }, t('ui.backups.save')),
        h(
          'button',
          { type: 'button', 'data-testid': 'backup-cancel-edit', on: { click: () => this.#close() } },
          t('ui.backups.cancel'),
        ),
      ),
    );
    replaceContent(this.#editor, form);
    name.focus();
  }

  #close(): void {
    this.#editing = undefined;
    this.#form = null;
    this.#editor.replaceChildren();
  }

  async #browse(control: HTMLInputElement): Promise<void> {
    const folder = await this.#pickFolder?.();
    if (folder) control.value = folder;
  }

  async #save(): Promise<void> {
    const form = this.#form;
    const editing = this.#editing;
    if (!form || editing === undefined) return;
    form.errors.clear();
    let schedule;
    try {
      schedule = parseScheduleText(form.schedule.value, 'schedule');
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      form.errors.show('schedule', error.reason);
      return;
    }
    const name = form.name.value.trim();
    const fields = {
      ...(name !== '' && { name }),
      source: form.source.value.trim(),
      destination: form.destination.value.trim(),
      schedule,
    };
    try {
      if (editing) {
        // Edited in place through the settings, so the job keeps its id and its history.
        const settings = await this.#context.call('settings.get', {});
        const jobs = settings.jobs.map((job): Job => (job.id === editing.id ? edited(job, fields) : job));
        await this.#context.call('settings.set', { patch: { jobs } });
      } else {
        const taken = new Set(this.#jobs.map((job) => job.id));
        await this.#context.call('job.add', {
          job: {
            id: idFromName(name || undefined, taken, 'backup'),
            kind: 'copy',
            priority: 5,
            enabled: true,
            ...fields,
          },
        });
      }
      this.#context.announcer.say(
        t(editing ? 'ui.backups.saved' : 'ui.backups.added', {
          name: name || editing?.displayName || fields.source,
        }),
      );
      this.#close();
      await this.#context.refresh();
    } catch (error) {
      const field = error instanceof RequestFailed ? jobFieldOf(error.body.field) : undefined;
      if (
        error instanceof RequestFailed &&
        field !== undefined &&
        form.errors.show(field, error.body.message)
      )
        return;
      announceFailure(this.#context, error);
    }
  }
}
