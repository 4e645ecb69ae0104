/** Chromium flags for headless runs on CI boxes (Playwright adds --headless itself). */
export declare const chromiumArgs: readonly string[];
/** A Chromium executable: env var, Debian's, Playwright's own, or (install: true, root on Debian) apt-get's. */
export declare function findChromium(options?: { install?: boolean }): Promise<string>;
