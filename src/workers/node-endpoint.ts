import type { Endpoint } from 'comlink';

/** A Node worker or its parent port: messages arrive as `message` events carrying the data itself. */
export interface NodePort {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(type: 'message', listener: (data: unknown) => void): unknown;
  off(type: 'message', listener: (data: unknown) => void): unknown;
}

/** A Node port as the endpoint Comlink speaks to, whose listeners get `{ data }` as a browser's do. */
export function nodeEndpoint(port: NodePort): Endpoint {
  const listeners = new Map<EventListenerOrEventListenerObject, (data: unknown) => void>();
  return {
    postMessage: (message: unknown, transfer?: Transferable[]) => port.postMessage(message, transfer as ArrayBuffer[] | undefined),
    addEventListener: (_type: string, handler: EventListenerOrEventListenerObject) => {
      const listener = (data: unknown) => {
        const event = { data } as MessageEvent;
        if (typeof handler === 'function') handler(event);
        else handler.handleEvent(event);
      };
      listeners.set(handler, listener);
      port.on('message', listener);
    },
    removeEventListener: (_type: string, handler: EventListenerOrEventListenerObject) => {
      const listener = listeners.get(handler);
      if (listener === undefined) return;
      port.off('message', listener);
      listeners.delete(handler);
    },
  };
}
