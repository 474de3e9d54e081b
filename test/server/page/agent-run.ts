/**
 * An agent loop as an app runs it in the browser: the OpenAI Agents SDK with two function tools (`add`,
 * `multiply`), its model calls made by the official `openai` client against the replay server, which answers the
 * calls of one run with recordings in turn.
 */
import OpenAI from 'openai';
import { Agent, OpenAIResponsesModel, run, setTracingDisabled, tool } from '@openai/agents';

// Traces would be sent to OpenAI: an app in a page has no use for them, and nothing leaves the test machine.
setTracingDisabled(true);

export interface AgentRunOptions {
  /** The recordings that answer the run's calls, in order, and the run's own id: "a,b/run/<id>". */
  route: string;
  stream: boolean;
  /** Continue this response with server-side state: each call then names the one before (`previous_response_id`). */
  previousResponseId?: string;
  input?: string;
  /** The SDK's limit of model calls: past it the run fails. */
  maxTurns?: number;
}

export interface AgentRunResult {
  finalOutput?: string;
  lastResponseId?: string;
  /** Each tool call the agent ran, as `name(arguments) = result`. */
  toolRuns: string[];
  /** The run's new items, as the SDK gives them (JSON). */
  items: unknown[];
  error?: string;
}

const numbers = {
  type: 'object' as const,
  properties: { a: { type: 'integer', description: 'first number' }, b: { type: 'integer', description: 'second number' } },
  required: ['a', 'b'],
  additionalProperties: false as const,
};

function operands(input: unknown): { a: number; b: number } {
  const value = (typeof input === 'string' ? JSON.parse(input) : input) as { a: number; b: number };
  return { a: Number(value.a), b: Number(value.b) };
}

export async function runAgent(options: AgentRunOptions): Promise<AgentRunResult> {
  const result: AgentRunResult = { toolRuns: [], items: [] };
  const record = (name: string, input: unknown, output: number): string => {
    result.toolRuns.push(`${name}(${JSON.stringify(input)}) = ${output}`);
    return String(output);
  };
  try {
    const client = new OpenAI({ apiKey: 'sk-test-secret-key-1234567890', baseURL: `${location.origin}/r/${options.route}/v1`, dangerouslyAllowBrowser: true, maxRetries: 0 });
    const agent = new Agent({
      name: 'Calculator',
      instructions: 'You are a helpful assistant. Always use both add and multiply at the same time.',
      model: new OpenAIResponsesModel(client, 'gpt-4o'),
      tools: [
        tool({ name: 'add', description: 'Add two numbers', parameters: numbers, strict: true, execute: (input) => {
          const { a, b } = operands(input);
          return record('add', input, a + b);
        } }),
        tool({ name: 'multiply', description: 'Multiply two numbers', parameters: numbers, strict: true, execute: (input) => {
          const { a, b } = operands(input);
          return record('multiply', input, a * b);
        } }),
      ],
    });
    const input = options.input ?? 'Add and multiply the number 2 and 3';
    const runOptions = {
      ...(options.previousResponseId === undefined ? {} : { previousResponseId: options.previousResponseId }),
      ...(options.maxTurns === undefined ? {} : { maxTurns: options.maxTurns }),
    };
    if (options.stream) {
      const streamed = await run(agent, input, { ...runOptions, stream: true });
      for await (const _event of streamed) {
        // Read to the end, as a UI rendering the run would.
      }
      await streamed.completed;
      result.finalOutput = String(streamed.finalOutput ?? '');
      result.lastResponseId = streamed.lastResponseId;
      result.items = streamed.newItems.map((item) => item.toJSON());
    } else {
      const done = await run(agent, input, runOptions);
      result.finalOutput = String(done.finalOutput ?? '');
      result.lastResponseId = done.lastResponseId;
      result.items = done.newItems.map((item) => item.toJSON());
    }
  } catch (error) {
    result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  return result;
}
