/** The translator of each protocol besides the Responses API's (see `protocols.ts`). */
import type { ForeignProtocol, ProtocolTranslator } from './protocols.ts';

const FACTORIES: Partial<Record<ForeignProtocol, () => ProtocolTranslator>> = {
};

export function translatorFor(protocol: ForeignProtocol): ProtocolTranslator | undefined {
  return FACTORIES[protocol]?.();
}
