/** Severity of a log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logging: a message that reads on its own, plus fields for machines. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

function plain(value: unknown): unknown {
  if (value instanceof Error) return value.message;
  return value;
}

/**
 * A logger writing one line per entry: JSON (for log collectors) or text
 * (for people at a terminal).
 */
export function createLogger(options: {
  write: (line: string) => void;
  level?: LogLevel;
  format?: 'json' | 'text';
  fields?: Record<string, unknown>;
}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const base = options.fields ?? {};
  const emit = (level: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] < min) return;
    const all = Object.fromEntries(Object.entries({ ...base, ...fields }).map(([k, v]) => [k, plain(v)]));
    if (options.format === 'text') {
      const extra = Object.entries(all)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      options.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${extra ? ` ${extra}` : ''}\n`);
    } else {
      options.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...all })}\n`);
    }
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

/** A logger that drops everything. */
export const SILENT: Logger = createLogger({ write: () => undefined, level: 'error' });
