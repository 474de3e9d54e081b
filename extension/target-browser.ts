declare const __TARGET_BROWSER__: string | undefined;

/**
 * The browser this bundle was built for (`build.ts` defines it per `dist/` folder), for what the two browsers do
 * differently by design, never sniffed from the user agent; undefined outside a bundle (Node tests).
 */
export const TARGET_BROWSER: string | undefined = typeof __TARGET_BROWSER__ === 'string' ? __TARGET_BROWSER__ : undefined;
