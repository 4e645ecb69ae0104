// jsdom ships no types, and @types/jsdom brings its own parse5 and undici typings along; the report needs only this.
declare module 'jsdom' {
  export class JSDOM {
    constructor(html?: string);
    readonly window: Window & typeof globalThis;
  }
}
