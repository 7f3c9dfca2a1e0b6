import { Subject, filter, type Observable } from 'rxjs';
import type { EventOf, MuneroEvent, MuneroEventBody, MuneroEventType } from './types';

/** The one typed event bus of a build. Subscribers must not throw. */
export class EventBus {
  private readonly subject = new Subject<MuneroEvent>();
  private seq = 0;

  constructor(startSeq = 0) {
    this.seq = startSeq;
  }

  readonly events$: Observable<MuneroEvent> = this.subject.asObservable();

  emit(body: MuneroEventBody): MuneroEvent {
    const event = { ...body, seq: ++this.seq, at: new Date().toISOString() } as MuneroEvent;
    this.subject.next(event);
    return event;
  }

  /** Publishes an event another process logged (a watched build), keeping its number and time. */
  relay(event: MuneroEvent): void {
    this.seq = Math.max(this.seq, event.seq);
    this.subject.next(event);
  }

  on<T extends MuneroEventType>(type: T): Observable<EventOf<T>> {
    return this.events$.pipe(filter((e): e is EventOf<T> => e.type === type));
  }

  /** Continues numbering after events already logged by an earlier run of the same build. */
  continueFrom(seq: number): void {
    this.seq = Math.max(this.seq, seq);
  }

  get lastSeq(): number {
    return this.seq;
  }

  complete(): void {
    this.subject.complete();
  }
}
