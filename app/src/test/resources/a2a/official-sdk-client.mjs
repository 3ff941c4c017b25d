// The official A2A JavaScript SDK (@a2a-js/sdk, A2A 1.0) as a client of brewstream's A2A endpoint: it resolves the
// agent card, sends a message over JSON-RPC, reads and tries to cancel the task, and streams a second message's task.
// One JSON line per step on stdout.
import { ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory } from '@a2a-js/sdk/client';
import { Role, TaskState } from '@a2a-js/sdk';

const [base, token, messageId] = process.argv.slice(2);
const withToken = (url, init = {}) => fetch(url, { ...init, headers: { ...(init.headers || {}), Authorization: 'Bearer ' + token } });
const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
  transports: [new JsonRpcTransportFactory({ fetchImpl: withToken })] }));
const say = (step, value) => console.log(JSON.stringify({ step, ...value }));
const text = (value) => ({ content: { $case: 'text', value }, metadata: undefined, filename: '', mediaType: '' });

const client = await factory.createFromUrl(base);
const card = await client.getAgentCard();
say('card', { name: card.name, skills: card.skills.map(s => s.id) });

const task = await client.sendMessage({
  message: { messageId, role: Role.ROLE_USER, parts: [text('hello from the official SDK')], contextId: '', taskId: '',
    metadata: undefined, extensions: [], referenceTaskIds: [] },
  configuration: { returnImmediately: false, acceptedOutputModes: [], historyLength: undefined, taskPushNotificationConfig: undefined },
  metadata: { skill: 'echo' } });
say('sent', { id: task.id, state: TaskState[task.status.state],
  artifact: task.artifacts[0]?.parts[0]?.content?.value });

const got = await client.getTask({ id: task.id, historyLength: undefined, tenant: '' });
say('got', { state: TaskState[got.status.state] });

try {
  await client.cancelTask({ id: task.id, tenant: '', metadata: undefined });
  say('canceled', {});
} catch (e) {
  say('cancel refused', { error: e.constructor.name, code: e.envelopeCode });
}
try {
  await client.getTask({ id: 'no-such-task', historyLength: undefined, tenant: '' });
} catch (e) {
  say('missing', { error: e.constructor.name, code: e.envelopeCode });
}

// SendStreamingMessage: the SDK reads our server-sent events as StreamResponses until the task ends
const streamed = [];
for await (const event of client.sendMessageStream({
  message: { messageId: messageId + '-streamed', role: Role.ROLE_USER, parts: [text('hello, streamed')], contextId: '',
    taskId: '', metadata: undefined, extensions: [], referenceTaskIds: [] },
  configuration: { returnImmediately: false, acceptedOutputModes: [], historyLength: undefined, taskPushNotificationConfig: undefined },
  metadata: { skill: 'echo' } })) {
  const p = event.payload;
  if (p.$case === 'task') streamed.push('task ' + TaskState[p.value.status.state]);
  else if (p.$case === 'statusUpdate') streamed.push('status ' + TaskState[p.value.status.state]);
  else if (p.$case === 'artifactUpdate') streamed.push('artifact ' + p.value.artifact.parts[0]?.content?.value);
  else streamed.push(p.$case);
}
say('streamed', { events: streamed });
