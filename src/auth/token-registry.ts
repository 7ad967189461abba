import { Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Actor, TokenFileOptions, differenceOf, loadTokens, tokenSha256 } from './tokens';

/** How often the tokens file is looked at: a user added or revoked takes effect within this, plus a read. */
export const TOKENS_POLL_MS = 1_000;

export interface TokenRegistryLog {
  log(message: string): void;
  error(message: string): void;
}

/**
 * The tokens in force, from LEDGER_TOKENS_FILE, taken up again whenever the file changes: no
 * restart to add or revoke a user. The file is polled (a stat per interval, compared with the
 * stat of the file last read) rather than watched with inotify (fs.watch), because the usual ways
 * to replace a file (an editor's save, `mv` into place, a mounted secret's symlink swap) give it
 * a new inode, which an inotify watch on the old one never reports; and rather than with
 * fs.watchFile, whose first stat is taken after it starts, so a change made between the load and
 * that stat would never be seen. A file that is refused (unreadable, malformed, a published
 * example token) leaves the tokens in force as they were, and the refusal is logged once per
 * version of the file.
 */
export class TokenRegistry implements OnModuleInit, OnModuleDestroy {
  private actors: Map<string, Actor>;
  /** The stat of the file as last read ('' for no file): a poll that finds another reads it again. */
  private seen: string;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private readonly listeners: (() => void)[] = [];

  /** Loads the file once; a refused file here is a ConfigError: the service does not start on it. */
  constructor(
    private readonly file: string | undefined,
    private readonly options: TokenFileOptions & { pollMs?: number } = {},
    private readonly logger: TokenRegistryLog = new Logger('Tokens'),
  ) {
    // The stat before the read: a change made after it is seen by the next poll.
    this.seen = signatureOf(file);
    this.actors = loadTokens(file, options);
  }

  /** The actor a bearer token stands for, or undefined for a token not in force. */
  actorOf(token: string): Actor | undefined {
    return this.actors.get(tokenSha256(token));
  }

  get size(): number {
    return this.actors.size;
  }

  /**
   * Whether an actor taken from the tokens earlier (an open live stream's, a ticket's) still holds
   * a token in force: one with the same id, role, organisation and towns. A revoked token's
   * actor does not, nor one whose role or towns changed; one whose token was rotated does.
   */
  inForce(actor: Actor): boolean {
    for (const a of this.actors.values()) if (sameActor(a, actor)) return true;
    return false;
  }

  /** `listener` runs after each reload that took up the file (a user added, revoked or changed). */
  onReload(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Reads the file again: its tokens replace those in force, or, if it is refused, nothing
   * changes and the error is logged. Answers whether it was taken up. The poll calls this.
   */
  reload(): boolean {
    this.seen = signatureOf(this.file);
    try {
      this.actors = loadTokens(this.file, this.options);
    } catch (err) {
      this.logger.error(`tokens file refused, the ${this.actors.size} tokens in force stay: ${(err as Error).message}`);
      return false;
    }
    this.logger.log(`tokens file ${this.file} taken up: ${this.actors.size} tokens`);
    for (const listener of this.listeners) listener();
    return true;
  }

  /** Starts polling the file for changes (nothing to poll without one). */
  watch(): void {
    if (!this.file || this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.options.pollMs ?? TOKENS_POLL_MS);
    // The poll never keeps a stopping process alive.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  onModuleInit(): void {
    this.watch();
  }

  onModuleDestroy(): void {
    this.stop();
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const now = await stat(this.file!).then(signature, () => '');
      if (now !== this.seen) this.reload();
    } finally {
      this.polling = false;
    }
  }
}

/** What tells one version of the file from another: inode, size and times ('' when there is none). */
function signatureOf(file: string | undefined): string {
  if (!file) return '';
  try {
    return signature(statSync(file));
  } catch {
    return '';
  }
}

function signature(s: { ino: number; size: number; mtimeMs: number; ctimeMs: number }): string {
  return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
}

/** One actor, saying the same: the tokens file's own test of two entries (tokens.ts, differenceOf). */
function sameActor(a: Actor, b: Actor): boolean {
  return a.actorId === b.actorId && differenceOf(a, b) === null;
}
