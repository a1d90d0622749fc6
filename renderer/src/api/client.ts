/**
 * The renderer's typed ConsoleApi client. Types come from the one contract; `call` resolves with
 * the method's output or throws ApiCallError carrying the error code the screens turn into words.
 */
import type {
  ApiError,
  ConsoleEventName,
  ConsoleEventPayload,
  ConsoleInput,
  ConsoleMethod,
  ConsoleOutput,
} from '../../../electron/core/consoleApi/contract';
import type { Transport } from './transport';

export class ApiCallError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.details = error.details;
  }
}

export interface ApiClient {
  call<M extends ConsoleMethod>(method: M, input?: ConsoleInput<M>): Promise<ConsoleOutput<M>>;
  on<E extends ConsoleEventName>(event: E, cb: (payload: ConsoleEventPayload<E>) => void): () => void;
  onConnection(cb: (connected: boolean) => void): () => void;
}

export function createApiClient(transport: Transport): ApiClient {
  return {
    async call(method, input) {
      const result = await transport.invoke(method, input ?? {});
      if (!result.ok) throw new ApiCallError(result.error);
      return result.value as never;
    },
    on(event, cb) {
      return transport.on(event, cb as (payload: unknown) => void);
    },
    onConnection(cb) {
      return transport.onConnection(cb);
    },
  };
}
