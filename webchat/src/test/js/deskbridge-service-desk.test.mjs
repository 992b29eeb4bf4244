// Unit tests of the Carbon AI Chat adapter's frame <-> callback mapping, with node's built-in test runner:
//   node --test webchat/src/test/js/
// (run by AdapterUnitTest in ./mvnw verify). A fake WebSocket plays the server; a recording callback plays Carbon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createDeskbridgeServiceDesk, DeskbridgeServiceDesk, ErrorType, findConnectToAgent, connectRequest,
} from '../../main/resources/webchat-page/deskbridge-service-desk.js';

class FakeSocket {
  static all = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeSocket.all.push(this);
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.();
    });
  }
  send(text) { this.sent.push(JSON.parse(text)); }
  close() { this.drop(); }
  frames(type) { return this.sent.filter((f) => f.type === type); }
  serverSends(frame) { this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) }); }
  drop() {
    if (this.readyState !== 3) {
      this.readyState = 3;
      this.onclose?.({ code: 1006 });
    }
  }
  static last() { return FakeSocket.all[FakeSocket.all.length - 1]; }
}

function recordingCallback() {
  const calls = [];
  const record = (name) => (...args) => { calls.push([name, ...args]); return Promise.resolve(); };
  const callback = {};
  for (const name of ['updateCapabilities', 'updateAgentAvailability', 'agentJoined', 'agentReadMessages', 'agentTyping',
    'sendMessageToUser', 'beginTransferToAnotherAgent', 'agentLeftChat', 'agentEndedChat', 'setErrorStatus',
    'setFileUploadStatus', 'updatePersistedState']) {
    callback[name] = record(name);
  }
  callback.calls = calls;
  callback.named = (name) => calls.filter((c) => c[0] === name).map((c) => c.slice(1));
  return callback;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
async function until(condition, what) {
  for (let i = 0; i < 200; i++) {
    if (condition()) {
      return;
    }
    await tick();
  }
  assert.fail('timed out waiting for ' + what);
}

const CAPABILITIES = ['agentTyping', 'fileUploads', 'reconnect', 'transfer'];
const CONNECT = { output: { generic: [
  { response_type: 'text', text: 'One moment' },
  { response_type: 'connect_to_agent', message_to_human_agent: 'The user asks for an agent',
    transfer_info: { additional_data: { topic: 'billing' } } },
] } };

function desk(options = {}, persistedState) {
  FakeSocket.all = [];
  const callback = recordingCallback();
  const serviceDesk = new DeskbridgeServiceDesk({ callback, persistedState },
    { serverUrl: 'http://chat.test/', WebSocket: FakeSocket, reconnectDelays: [0], logger: { warn() {} }, ...options });
  return { serviceDesk, callback };
}

async function welcomed(serviceDesk, extra = {}) {
  const started = serviceDesk.areAnyAgentsOnline();
  await until(() => FakeSocket.last()?.frames('hello').length === 1, 'hello');
  const socket = FakeSocket.last();
  socket.serverSends({ type: 'welcome', protocolVersion: 1, resumeToken: 'token-1', desk: 'example', resumed: false,
    capabilities: CAPABILITIES, ...extra });
  await until(() => socket.frames('agentsOnline').length === 1, 'agentsOnline');
  socket.serverSends({ type: 'agentsOnline', status: 'ONLINE' });
  assert.equal(await started, true);
  return socket;
}

async function inChat(serviceDesk) {
  const socket = await welcomed(serviceDesk);
  const start = serviceDesk.startChat(CONNECT, { preStartChatPayload: null });
  await until(() => socket.frames('startChat').length === 1, 'startChat');
  socket.serverSends({ type: 'chatStarted', chatId: 'chat-1' });
  await start;
  return socket;
}

test('the factory returns a promise of a service desk with Carbon\'s methods', async () => {
  const serviceDesk = await createDeskbridgeServiceDesk({ serverUrl: 'http://chat.test/' })({ callback: recordingCallback() });
  for (const method of ['getName', 'startChat', 'endChat', 'sendMessageToAgent', 'userTyping', 'userReadMessages',
    'areAnyAgentsOnline', 'filesSelectedForUpload', 'reconnect']) {
    assert.equal(typeof serviceDesk[method], 'function', method);
  }
  assert.equal(serviceDesk.getName(), 'deskbridge');
  assert.ok(serviceDesk.getName().length <= 40);
});

test('welcome: the socket URL, the resume token kept in Carbon\'s persisted state, file uploads as a capability', async () => {
  const { serviceDesk, callback } = desk({ user: { name: 'Grace' } });
  const socket = await welcomed(serviceDesk);
  assert.equal(socket.url, 'ws://chat.test/chat');
  assert.deepEqual(socket.frames('hello')[0], { type: 'hello', user: { name: 'Grace' } });
  assert.deepEqual(callback.named('updatePersistedState')[0], [{ resumeToken: 'token-1', lastMessageId: undefined }, true]);
  assert.equal(callback.named('updateCapabilities')[0][0].allowFileUploads, true);
});

test('agentsOnline OFFLINE and UNKNOWN become false and null', async () => {
  const { serviceDesk } = desk();
  const socket = await welcomed(serviceDesk);
  const offline = serviceDesk.areAnyAgentsOnline();
  await until(() => socket.frames('agentsOnline').length === 2, 'second agentsOnline');
  socket.serverSends({ type: 'agentsOnline', status: 'OFFLINE' });
  assert.equal(await offline, false);
  const unknown = serviceDesk.areAnyAgentsOnline();
  await until(() => socket.frames('agentsOnline').length === 3, 'third agentsOnline');
  socket.serverSends({ type: 'agentsOnline', status: 'UNKNOWN' });
  assert.equal(await unknown, null);
});

test('startChat takes topic and message to the agent from the connect_to_agent item wherever it is', async () => {
  const { serviceDesk } = desk();
  const socket = await inChat(serviceDesk);
  assert.deepEqual(socket.frames('startChat')[0], { type: 'startChat', topic: 'billing', messageToAgent: 'The user asks for an agent' });
  const nested = { output: { generic: [{ response_type: 'text', text: 'x' },
    { response_type: 'grid', columns: [{ items: [{ response_type: 'connect_to_agent', message_to_human_agent: 'deep',
      transfer_info: { summary_message_to_agent: [{ response_type: 'text', text: 'summary' }] } }] }] }] } };
  assert.equal(findConnectToAgent(nested).message_to_human_agent, 'deep');
  assert.deepEqual(connectRequest(findConnectToAgent(nested), 'fallback'), { topic: 'fallback', messageToAgent: 'deep\n\nsummary' });
  assert.equal(findConnectToAgent({ output: { generic: [{ response_type: 'text' }] } }), undefined);
  assert.equal(connectRequest({ transfer_info: { additional_data: { topic: 'x'.repeat(300) } } }).topic.length, 200);
});

test('every server frame of the chat reaches the matching Carbon callback', async () => {
  const { serviceDesk, callback } = desk();
  const socket = await inChat(serviceDesk);
  const agent = { id: 'ada', nickname: 'Ada', avatarUrl: 'https://img.test/ada.png' };
  socket.serverSends({ type: 'availability', positionInQueue: 2, estimatedWaitSeconds: 90, message: 'Hold on' });
  socket.serverSends({ type: 'agentJoined', agent });
  socket.serverSends({ type: 'agentTyping', isTyping: true });
  socket.serverSends({ type: 'agentMessage', id: 'a-1', text: 'Hello', agentId: 'ada', agentName: 'Ada', origin: 'agent' });
  socket.serverSends({ type: 'agentRead' });
  socket.serverSends({ type: 'transferStarted', agent: { id: 'sam', nickname: 'Sam' } });
  socket.serverSends({ type: 'transferStarted' });
  socket.serverSends({ type: 'agentLeft' });
  socket.serverSends({ type: 'userMessage', id: 'm-9', text: 'from another tab' });
  socket.serverSends({ type: 'error', errorType: 'DISCONNECTED', isDisconnected: true });
  socket.serverSends({ type: 'error', errorType: 'DISCONNECTED', isDisconnected: false });
  socket.serverSends({ type: 'error', errorType: 'USER_MESSAGE', messageId: 'm-1', messageToUser: 'Not delivered' });
  socket.serverSends({ type: 'fileStatus', fileId: 'f-1', status: 'failed', error: 'Too big' });
  socket.serverSends({ type: 'fileStatus', fileId: 'f-2', status: 'sent' });
  socket.serverSends({ type: 'agentEnded' });
  socket.serverSends({ type: 'chatEnded', reason: 'agent' });
  const names = callback.calls.map((c) => c[0]).filter((n) => n !== 'updateCapabilities' && n !== 'updatePersistedState');
  assert.deepEqual(names, ['updateAgentAvailability', 'agentJoined', 'agentTyping', 'sendMessageToUser', 'agentReadMessages',
    'beginTransferToAnotherAgent', 'beginTransferToAnotherAgent', 'agentLeftChat', 'setErrorStatus', 'setErrorStatus',
    'setErrorStatus', 'setFileUploadStatus', 'setFileUploadStatus', 'agentEndedChat']);
  assert.deepEqual(callback.named('updateAgentAvailability')[0], [{ positionInQueue: 2, estimatedWaitTime: 2, message: 'Hold on' }]);
  assert.deepEqual(callback.named('agentJoined')[0],
    [{ id: 'ada', nickname: 'Ada', user_type: 'human', profile_picture_url: 'https://img.test/ada.png' }]);
  assert.deepEqual(callback.named('agentTyping')[0], [true]);
  assert.deepEqual(callback.named('sendMessageToUser')[0], ['Hello', 'ada']);
  assert.deepEqual(callback.named('beginTransferToAnotherAgent'), [[{ id: 'sam', nickname: 'Sam', user_type: 'human' }], [undefined]]);
  assert.deepEqual(callback.named('setErrorStatus'), [[{ type: ErrorType.DISCONNECTED, isDisconnected: true }],
    [{ type: ErrorType.DISCONNECTED, isDisconnected: false }], [{ type: ErrorType.USER_MESSAGE, messageID: 'm-1' }]]);
  assert.deepEqual(callback.named('setFileUploadStatus'), [['f-1', true, 'Too big'], ['f-2', false, undefined]]);
  assert.equal(callback.named('agentEndedChat').length, 1, 'agentEnded then chatEnded {agent} end the chat once');
  assert.deepEqual(callback.named('updatePersistedState').at(-1)[0], { resumeToken: 'token-1', lastMessageId: 'a-1' });
});

test('messages go to the agent with Carbon\'s id; sent resolves, failed rejects; typing and read are forwarded', async () => {
  const { serviceDesk } = desk();
  const socket = await inChat(serviceDesk);
  const sent = serviceDesk.sendMessageToAgent({ input: { text: 'My invoice' } }, 'm-1', {});
  await until(() => socket.frames('message').length === 1, 'message');
  assert.deepEqual(socket.frames('message')[0], { type: 'message', id: 'm-1', text: 'My invoice' });
  socket.serverSends({ type: 'messageStatus', id: 'm-1', status: 'sent' });
  await sent;
  const failed = serviceDesk.sendMessageToAgent({ input: { text: 'again' } }, 'm-2', {});
  await until(() => socket.frames('message').length === 2, 'second message');
  socket.serverSends({ type: 'messageStatus', id: 'm-2', status: 'failed', error: 'The desk is down' });
  await assert.rejects(failed, /The desk is down/);
  const refused = serviceDesk.sendMessageToAgent({ input: { text: 'x'.repeat(5000) } }, 'm-3', {});
  await until(() => socket.frames('message').length === 3, 'third message');
  socket.serverSends({ type: 'error', errorType: 'BAD_REQUEST', code: 'TEXT_TOO_LONG', messageId: 'm-3', messageToUser: 'Too long' });
  await assert.rejects(refused, /Too long/);
  await serviceDesk.userTyping(true);
  await serviceDesk.userReadMessages();
  assert.deepEqual(socket.frames('typing'), [{ type: 'typing', isTyping: true }]);
  assert.equal(socket.frames('read').length, 1);
});

test('a CONNECTING error shows the server\'s words and fails startChat', async () => {
  const { serviceDesk, callback } = desk();
  const socket = await welcomed(serviceDesk);
  const start = serviceDesk.startChat(CONNECT, {});
  await until(() => socket.frames('startChat').length === 1, 'startChat');
  socket.serverSends({ type: 'error', errorType: 'CONNECTING', messageToUser: 'No agents today' });
  socket.serverSends({ type: 'chatEnded', reason: 'failed' });
  await assert.rejects(start, /No agents today/);
  assert.deepEqual(callback.named('setErrorStatus'), [[{ type: ErrorType.CONNECTING, messageToUser: 'No agents today' }]]);
  assert.equal(callback.named('agentEndedChat').length, 0);
});

test('endChat sends endChat and resolves on chatEnded; a chat that expires on the server ends in Carbon', async () => {
  const { serviceDesk, callback } = desk();
  let socket = await inChat(serviceDesk);
  const ended = serviceDesk.endChat({ endedByHumanAgent: false });
  await until(() => socket.frames('endChat').length === 1, 'endChat');
  socket.serverSends({ type: 'chatEnded', reason: 'user' });
  await ended;
  assert.equal(callback.named('agentEndedChat').length, 0, 'the user ended it: Carbon already knows');
  const start = serviceDesk.startChat(CONNECT, {});
  await until(() => socket.frames('startChat').length === 2, 'second startChat');
  socket.serverSends({ type: 'chatStarted', chatId: 'chat-2' });
  await start;
  socket.serverSends({ type: 'chatEnded', reason: 'expired' });
  assert.equal(callback.named('agentEndedChat').length, 1);
});

test('bad frames are ignored without a callback: not JSON, no type, unknown types', async () => {
  const { serviceDesk, callback } = desk();
  const socket = await inChat(serviceDesk);
  const before = callback.calls.length;
  socket.serverSends('not json');
  socket.serverSends('[1,2]');
  socket.serverSends({ type: 42 });
  socket.serverSends({ type: 'somethingNew', data: 1 });
  socket.serverSends({ type: 'agentJoined', agent: 'not an object' });
  socket.serverSends({ type: 'agentMessage', id: 'x' });
  assert.equal(callback.calls.length, before);
  socket.serverSends({ type: 'agentMessage', id: 'a-1', text: 'still working' });
  assert.deepEqual(callback.named('sendMessageToUser').at(-1), ['still working', undefined]);
});

test('a socket that drops and comes back: isDisconnected true then false, the pending message sent again with its id', async () => {
  const { serviceDesk, callback } = desk();
  const first = await inChat(serviceDesk);
  const sent = serviceDesk.sendMessageToAgent({ input: { text: 'Are you there?' } }, 'm-1', {});
  await until(() => first.frames('message').length === 1, 'message');
  first.drop();
  assert.deepEqual(callback.named('setErrorStatus'), [[{ type: ErrorType.DISCONNECTED, isDisconnected: true }]]);
  await until(() => FakeSocket.all.length === 2 && FakeSocket.last().frames('hello').length === 1, 'second hello');
  const second = FakeSocket.last();
  assert.equal(second.frames('hello')[0].resumeToken, 'token-1');
  second.serverSends({ type: 'welcome', protocolVersion: 1, resumeToken: 'token-1', resumed: true, desk: 'example',
    capabilities: CAPABILITIES, chat: { chatId: 'chat-1', status: 'joined', transcript: [] } });
  assert.deepEqual(callback.named('setErrorStatus').at(-1), [{ type: ErrorType.DISCONNECTED, isDisconnected: false }]);
  assert.deepEqual(second.frames('message'), [{ type: 'message', id: 'm-1', text: 'Are you there?' }]);
  second.serverSends({ type: 'messageStatus', id: 'm-1', status: 'sent' });
  await sent;
});

test('a socket that comes back to a chat the server no longer has ends the chat in Carbon', async () => {
  const { serviceDesk, callback } = desk();
  const first = await inChat(serviceDesk);
  first.drop();
  await until(() => FakeSocket.all.length === 2 && FakeSocket.last().frames('hello').length === 1, 'second hello');
  FakeSocket.last().serverSends({ type: 'welcome', protocolVersion: 1, resumeToken: 'token-2', resumed: false, desk: 'example',
    capabilities: CAPABILITIES });
  assert.deepEqual(callback.named('setErrorStatus').at(-1), [{ type: ErrorType.DISCONNECTED, isDisconnected: false }]);
  assert.equal(callback.named('agentEndedChat').length, 1);
});

test('reconnect() resumes with the persisted token and delivers only the messages Carbon has not shown', async () => {
  const { serviceDesk, callback } = desk({}, { resumeToken: 'token-1', lastMessageId: 'a-1' });
  const resumed = serviceDesk.reconnect();
  await until(() => FakeSocket.last()?.frames('hello').length === 1, 'hello');
  const socket = FakeSocket.last();
  assert.equal(socket.frames('hello')[0].resumeToken, 'token-1');
  socket.serverSends({ type: 'welcome', protocolVersion: 1, resumeToken: 'token-1', resumed: true, desk: 'example',
    capabilities: CAPABILITIES, chat: { chatId: 'chat-1', status: 'joined', transcript: [
      { from: 'agent', id: 'a-1', text: 'seen', agentId: 'ada' },
      { from: 'user', id: 'm-1', text: 'mine', status: 'sent' },
      { from: 'agent', id: 'a-2', text: 'written while the page was away', agentId: 'ada' }] } });
  assert.equal(await resumed, true);
  assert.deepEqual(callback.named('sendMessageToUser'), [['written while the page was away', 'ada']]);
  const ended = desk({}, { resumeToken: 'token-1' });
  const gone = ended.serviceDesk.reconnect();
  await until(() => FakeSocket.last()?.frames('hello').length === 1, 'hello');
  FakeSocket.last().serverSends({ type: 'welcome', protocolVersion: 1, resumeToken: 'token-1', resumed: true, desk: 'example',
    capabilities: CAPABILITIES, chat: { chatId: 'chat-1', status: 'ended', endReason: 'agent', transcript: [] } });
  assert.equal(await gone, false);
  assert.equal(await desk().serviceDesk.reconnect(), false, 'no persisted token: nothing to resume');
});

test('authenticated mode: the host page\'s token goes in hello, fetched again for every connection', async () => {
  let issued = 0;
  const { serviceDesk } = desk({ authToken: async () => 'jwt-' + (++issued) });
  const socket = await inChat(serviceDesk);
  assert.equal(socket.frames('hello')[0].authToken, 'jwt-1');
  socket.drop();
  await until(() => FakeSocket.all.length === 2 && FakeSocket.last().frames('hello').length === 1, 'second hello');
  assert.equal(FakeSocket.last().frames('hello')[0].authToken, 'jwt-2');
  const refused = desk({ authToken: 'expired' });
  const online = refused.serviceDesk.areAnyAgentsOnline();
  await until(() => FakeSocket.last()?.frames('hello').length === 1, 'hello');
  FakeSocket.last().serverSends({ type: 'error', errorType: 'BAD_REQUEST', code: 'NOT_AUTHENTICATED', messageToUser: 'Token expired' });
  await assert.rejects(online, /Token expired/);
});

test('files: checked at selection, refusals shown on the file, bytes uploaded when sent, the message carries them', async () => {
  const uploads = [];
  const { serviceDesk, callback } = desk({ uploadFile: async (url, file) => { uploads.push([url, file.name]); return {}; } });
  const socket = await inChat(serviceDesk);
  const good = { id: 'f-1', file: { name: 'invoice.pdf', type: 'application/pdf', size: 1200 } };
  const bad = { id: 'f-2', file: { name: 'setup.exe', type: '', size: 50 } };
  serviceDesk.filesSelectedForUpload([good, bad]);
  await until(() => socket.frames('upload').length === 2, 'upload frames');
  assert.deepEqual(socket.frames('upload'), [
    { type: 'upload', fileId: 'f-1', fileName: 'invoice.pdf', contentType: 'application/pdf', size: 1200 },
    { type: 'upload', fileId: 'f-2', fileName: 'setup.exe', contentType: 'application/octet-stream', size: 50 }]);
  socket.serverSends({ type: 'uploadReady', fileId: 'f-1', url: '/upload/tok', maxBytes: 1200, expiresInSeconds: 300 });
  socket.serverSends({ type: 'uploadRefused', fileId: 'f-2', code: 'REFUSED_BY_DESK', messageToUser: 'No .exe files' });
  assert.deepEqual(callback.named('setFileUploadStatus'), [['f-2', true, 'No .exe files']]);
  assert.equal(uploads.length, 0, 'nothing is uploaded before the user sends');

  const sent = serviceDesk.sendMessageToAgent({ input: { text: '' } }, 'm-1', { filesToUpload: [good] });
  await until(() => socket.frames('message').length === 1, 'message');
  assert.deepEqual(uploads, [['http://chat.test/upload/tok', 'invoice.pdf']]);
  assert.deepEqual(socket.frames('message')[0], { type: 'message', id: 'm-1', text: '', files: ['f-1'] });
  socket.serverSends({ type: 'messageStatus', id: 'm-1', status: 'sent' });
  await sent;
  assert.deepEqual(callback.named('setFileUploadStatus').at(-1), ['f-1', false]);
});

test('a file whose upload fails over HTTP is marked failed with the server\'s reason', async () => {
  const { serviceDesk, callback } = desk({ uploadFile: async () => { throw new Error('The upload is not the 10 bytes announced.'); } });
  const socket = await inChat(serviceDesk);
  const file = { id: 'f-1', file: { name: 'a.txt', type: 'text/plain', size: 10 } };
  const sent = serviceDesk.sendMessageToAgent({ input: { text: 'see file' } }, 'm-1', { filesToUpload: [file] });
  await until(() => socket.frames('upload').length === 1, 'upload');
  socket.serverSends({ type: 'uploadReady', fileId: 'f-1', url: '/upload/tok', maxBytes: 10, expiresInSeconds: 300 });
  await until(() => socket.frames('message').length === 1, 'message');
  assert.deepEqual(socket.frames('message')[0], { type: 'message', id: 'm-1', text: 'see file' });
  assert.deepEqual(callback.named('setFileUploadStatus'), [['f-1', true, 'The upload is not the 10 bytes announced.']]);
  socket.serverSends({ type: 'messageStatus', id: 'm-1', status: 'sent' });
  await sent;
});

test('what happened while the socket was down arrives once it is back: the agent\'s messages, then the end', async () => {
  const { serviceDesk, callback } = desk();
  const first = await inChat(serviceDesk);
  first.serverSends({ type: 'agentMessage', id: 'a-1', text: 'Before', agentId: 'ada' });
  first.drop();
  await until(() => FakeSocket.all.length === 2 && FakeSocket.last().frames('hello').length === 1, 'second hello');
  FakeSocket.last().serverSends({ type: 'welcome', protocolVersion: 1, resumeToken: 'token-1', resumed: true, desk: 'example',
    capabilities: CAPABILITIES, chat: { chatId: 'chat-1', status: 'joined', transcript: [
      { from: 'agent', id: 'a-1', text: 'Before', agentId: 'ada' },
      { from: 'agent', id: 'a-2', text: 'While you were away', agentId: 'ada' }] } });
  assert.deepEqual(callback.named('sendMessageToUser'), [['Before', 'ada'], ['While you were away', 'ada']]);
  FakeSocket.last().drop();
  await until(() => FakeSocket.all.length === 3 && FakeSocket.last().frames('hello').length === 1, 'third hello');
  FakeSocket.last().serverSends({ type: 'welcome', protocolVersion: 1, resumeToken: 'token-1', resumed: true, desk: 'example',
    capabilities: CAPABILITIES, chat: { chatId: 'chat-1', status: 'ended', endReason: 'agent', transcript: [
      { from: 'agent', id: 'a-1', text: 'Before', agentId: 'ada' },
      { from: 'agent', id: 'a-2', text: 'While you were away', agentId: 'ada' },
      { from: 'agent', id: 'a-3', text: 'Goodbye', agentId: 'ada' }] } });
  assert.deepEqual(callback.named('sendMessageToUser').at(-1), ['Goodbye', 'ada']);
  assert.equal(callback.named('sendMessageToUser').length, 3, 'each message once');
  assert.equal(callback.named('agentEndedChat').length, 1, 'the agent ended it while the socket was down');
});

test('a chat that fails to start after a drop is not left waiting: startChat rejects when the chat is gone', async () => {
  const { serviceDesk } = desk();
  const socket = await welcomed(serviceDesk);
  const start = serviceDesk.startChat(CONNECT, {});
  await until(() => socket.frames('startChat').length === 1, 'startChat');
  socket.drop();
  await until(() => FakeSocket.all.length === 2 && FakeSocket.last().frames('hello').length === 1, 'second hello');
  FakeSocket.last().serverSends({ type: 'welcome', protocolVersion: 1, resumeToken: 'token-2', resumed: false, desk: 'example',
    capabilities: CAPABILITIES });
  await assert.rejects(start, /the chat ended/);
});
