/** The translator of each protocol besides the Responses API's (see `protocols.ts`). */
import type { ForeignProtocol, ProtocolTranslator } from './protocols.ts';
import { createAnthropicMessagesTranslator } from './anthropic-messages.ts';
import { createChatCompletionsTranslator } from './chat-completions.ts';
import { createAiSdkUiTranslator } from './ai-sdk-ui.ts';

const FACTORIES: Record<ForeignProtocol, () => ProtocolTranslator> = {
  'anthropic.messages': createAnthropicMessagesTranslator,
  'chat.completions': createChatCompletionsTranslator,
  'ai-sdk.ui': createAiSdkUiTranslator,
};

export function translatorFor(protocol: ForeignProtocol): ProtocolTranslator {
  return FACTORIES[protocol]();
}
