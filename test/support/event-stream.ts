import type { CookieJar } from './portal-login.ts';

/** One Server-Sent Event. */
export interface StreamEvent {
  event: string;
  data: unknown;
}

/** Reads the portal's event stream as a browser's EventSource would, keeping every event. */
export class EventStreamReader {
  readonly events: StreamEvent[] = [];
  private readonly abort = new AbortController();
  private done: Promise<void> = Promise.resolve();
  status = 0;

  async open(jar: CookieJar, url: string): Promise<void> {
    const response = await jar.fetch(url, { signal: this.abort.signal, headers: { accept: 'text/event-stream' } });
    this.status = response.status;
    if (!response.ok || !response.body) return;
    this.done = this.read(response.body).catch(() => {});
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        this.parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  }

  private parse(block: string): void {
    const lines = block.split('\n').filter((line) => !line.startsWith(':'));
    const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
    const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
    if (event && data) this.events.push({ event, data: JSON.parse(data) });
  }

  /** Waits for an event the predicate accepts, returning it. */
  async next(predicate: (event: StreamEvent) => boolean, what: string, timeoutMs = 30_000): Promise<StreamEvent> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.events.find(predicate);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no event ${what} within ${timeoutMs} ms; got ${this.events.map((e) => e.event).join(', ')}`);
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}
