/*
 * deskbridge service desk for Carbon AI Chat (@carbon/ai-chat) and IBM's hosted web chat.
 *
 * A plain ES module, served by the deskbridge web chat at /deskbridge-service-desk.js: no build step. It implements
 * Carbon's ServiceDesk by speaking the web chat's socket protocol (docs/protocol.md), so whichever desk the server is
 * configured with (the example desk, Genesys Cloud, ...) answers behind Carbon AI Chat, its credentials kept on the
 * server. Options and the frame <-> callback mapping: docs/carbon-ai-chat.md.
 *
 *   import { createDeskbridgeServiceDesk } from 'https://chat.example.com/deskbridge-service-desk.js';
 *   chat.serviceDeskFactory = createDeskbridgeServiceDesk({ serverUrl: 'https://chat.example.com/' });
 */

/** Carbon's ErrorType values (ServiceDeskErrorInfo.type). */
export const ErrorType = Object.freeze({ CONNECTING: 1, DISCONNECTED: 2, USER_MESSAGE: 3 });

/** The socket protocol version this adapter speaks. */
export const PROTOCOL_VERSION = 1;

const DEFAULT_RECONNECT_DELAYS = [250, 1000, 2000, 5000, 10000];
const SERVER_BUSY_DELAY = [20000, 40000];
const MAX_TOPIC = 200;
const MAX_MESSAGE_TO_AGENT = 4000;

/**
 * A factory for Carbon AI Chat's `serviceDeskFactory`.
 *
 * @param {object} options see docs/carbon-ai-chat.md: serverUrl, authToken, user, name, allowedFileUploadTypes,
 *     allowMultipleFileUploads, reconnectDelays, WebSocket, uploadFile, logger
 * @returns {(parameters: {callback: object, instance?: object, persistedState?: unknown}) => Promise<object>}
 */
export function createDeskbridgeServiceDesk(options = {}) {
  return (parameters) => Promise.resolve(new DeskbridgeServiceDesk(parameters, options));
}

/** The first connect_to_agent item anywhere in a message response's output.generic (nested items included). */
export function findConnectToAgent(message) {
  const seen = new Set();
  const search = (value) => {
    if (!value || typeof value !== 'object' || seen.has(value)) {
      return undefined;
    }
    seen.add(value);
    if (!Array.isArray(value) && value.response_type === 'connect_to_agent') {
      return value;
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      const found = search(child);
      if (found) {
        return found;
      }
    }
    return undefined;
  };
  return search(message?.output?.generic);
}

/** startChat's {topic, messageToAgent} from a connect_to_agent item (see docs/carbon-ai-chat.md). */
export function connectRequest(item, fallbackTopic) {
  const request = {};
  const data = item?.transfer_info?.additional_data ?? {};
  const topic = typeof data.topic === 'string' && data.topic.trim() ? data.topic : fallbackTopic;
  if (typeof topic === 'string' && topic.trim()) {
    request.topic = Array.from(topic.trim()).slice(0, MAX_TOPIC).join('');
  }
  const parts = [];
  if (typeof item?.message_to_human_agent === 'string' && item.message_to_human_agent.trim()) {
    parts.push(item.message_to_human_agent.trim());
  }
  for (const summary of item?.transfer_info?.summary_message_to_agent ?? []) {
    if (typeof summary?.text === 'string' && summary.text.trim()) {
      parts.push(summary.text.trim());
    }
  }
  if (parts.length) {
    request.messageToAgent = Array.from(parts.join('\n\n')).slice(0, MAX_MESSAGE_TO_AGENT).join('');
  }
  return request;
}

/** Carbon's ServiceDesk over one deskbridge web chat session. */
export class DeskbridgeServiceDesk {
  constructor(parameters, options = {}) {
    if (!parameters || !parameters.callback) {
      throw new Error('deskbridge: the service desk factory needs Carbon\'s parameters (with callback)');
    }
    this.callback = parameters.callback;
    this.instance = parameters.instance;
    this.options = options;
    this.log = options.logger ?? console;
    this.serverUrl = resolveServerUrl(options.serverUrl);
    this.WebSocketImpl = options.WebSocket ?? globalThis.WebSocket;
    this.uploadFile = options.uploadFile ?? uploadWithBrowser;
    this.reconnectDelays = options.reconnectDelays ?? DEFAULT_RECONNECT_DELAYS;
    const stored = parameters.persistedState && typeof parameters.persistedState === 'object' ? parameters.persistedState : {};
    this.state = {
      resumeToken: typeof stored.resumeToken === 'string' ? stored.resumeToken : undefined,
      lastMessageId: typeof stored.lastMessageId === 'string' ? stored.lastMessageId : undefined,
    };
    this.socket = null;
    this.connecting = null; // Promise of the welcome frame while a hello is in flight
    this.welcomed = false;
    this.attempt = 0;
    this.retryTimer = null;
    this.closedByUs = false;
    this.chatActive = false; // a chat was started (or resumed) and has not ended
    this.disconnectedShown = false;
    this.capabilities = [];
    this.pendingOnline = [];
    this.pendingStart = null;
    this.pendingEnd = [];
    this.pendingMessages = new Map(); // message id -> {frame, resolve, reject, fileIds}
    this.files = new Map(); // file id -> {file, ready?: {url, at}, waiting: [], refused?: string}
  }

  // ------------------------------------------------------------------ Carbon's ServiceDesk

  getName() {
    return this.options.name ?? 'deskbridge';
  }

  async areAnyAgentsOnline() {
    await this.ensureConnected();
    const status = await new Promise((resolve, reject) => {
      this.pendingOnline.push({ resolve, reject });
      this.send({ type: 'agentsOnline' });
    });
    return status === 'ONLINE' ? true : status === 'OFFLINE' ? false : null;
  }

  async startChat(connectMessage, startChatOptions) {
    const item = findConnectToAgent(connectMessage);
    const payload = startChatOptions?.preStartChatPayload;
    const request = connectRequest(item, typeof payload?.topic === 'string' ? payload.topic : this.options.topic);
    await this.ensureConnected();
    this.chatActive = true;
    this.disconnectedShown = false;
    await new Promise((resolve, reject) => {
      this.pendingStart = { resolve, reject };
      this.send({ type: 'startChat', ...request });
    });
  }

  async endChat() {
    const wasActive = this.chatActive;
    this.chatActive = false;
    this.failPending(new Error('deskbridge: the chat ended'), { keepEnd: true });
    if (!wasActive || !this.isOpen()) {
      return;
    }
    await new Promise((resolve) => {
      this.pendingEnd.push(resolve);
      this.send({ type: 'endChat' });
    });
  }

  async sendMessageToAgent(message, messageID, additionalData) {
    const text = typeof message?.input?.text === 'string' ? message.input.text : '';
    const uploads = additionalData?.filesToUpload ?? [];
    const fileIds = [];
    for (const upload of uploads) {
      try {
        await this.uploadSelected(upload);
        fileIds.push(upload.id);
      } catch (error) {
        if (!error.reported) {
          this.callback.setFileUploadStatus(upload.id, true, error.message);
        }
      }
    }
    if (!text.trim() && fileIds.length === 0) {
      if (uploads.length) {
        return; // every file was refused, each with its reason
      }
      throw new Error('deskbridge: an empty message');
    }
    const frame = { type: 'message', id: messageID, text };
    if (fileIds.length) {
      frame.files = fileIds;
    }
    await new Promise((resolve, reject) => {
      this.pendingMessages.set(messageID, { frame, resolve, reject, fileIds });
      if (this.isOpen()) {
        this.send(frame);
      }
      // else: sent again with the same id once the socket is back (the server never posts an id twice)
    });
  }

  async userTyping(isTyping) {
    if (this.chatActive && this.isOpen()) {
      this.send({ type: 'typing', isTyping: Boolean(isTyping) });
    }
  }

  async userReadMessages() {
    if (this.chatActive && this.isOpen()) {
      this.send({ type: 'read' });
    }
  }

  /** The upload step for each selected file: the server checks it against the desk's rules; nothing is uploaded yet. */
  filesSelectedForUpload(uploads) {
    for (const upload of uploads ?? []) {
      if (!upload || typeof upload.id !== 'string' || !upload.file) {
        continue;
      }
      this.requestUpload(upload).catch(() => {
        // reported with setFileUploadStatus where it failed
      });
    }
  }

  async reconnect() {
    if (!this.state.resumeToken) {
      return false;
    }
    let welcome;
    try {
      welcome = await this.ensureConnected();
    } catch (error) {
      this.log.warn?.('deskbridge: could not reconnect', error);
      return false;
    }
    const live = welcome.resumed && welcome.chat && welcome.chat.status !== 'ended';
    this.chatActive = Boolean(live);
    return Boolean(live);
  }

  // ------------------------------------------------------------------ files

  requestUpload(upload) {
    let entry = this.files.get(upload.id);
    const fresh = entry?.ready && Date.now() - entry.ready.at < entry.ready.expiresInMs - 30000;
    if (entry && (entry.refused || fresh || entry.waiting.length)) {
      return entry.promise;
    }
    entry = { file: upload.file, waiting: [] };
    entry.promise = new Promise((resolve, reject) => entry.waiting.push({ resolve, reject }));
    this.files.set(upload.id, entry);
    const file = upload.file;
    this.ensureConnected().then(() => {
      this.send({
        type: 'upload',
        fileId: upload.id,
        fileName: file.name || 'file',
        contentType: file.type || 'application/octet-stream',
        size: file.size,
      });
    }, (error) => this.settleUpload(upload.id, error));
    return entry.promise;
  }

  async uploadSelected(upload) {
    let entry = this.files.get(upload.id);
    if (entry && entry.waiting.length) {
      await entry.promise; // the check started at selection is still running
      entry = this.files.get(upload.id);
    }
    if (!entry || !entry.ready || entry.refused || Date.now() - entry.ready.at >= entry.ready.expiresInMs - 30000) {
      // Never checked, or its upload URL is about to expire: the server checks it again and hands out a new URL.
      this.files.delete(upload.id);
      await this.requestUpload(upload);
      entry = this.files.get(upload.id);
    }
    const url = new URL(entry.ready.url, this.serverUrl).toString();
    await this.uploadFile(url, upload.file, () => {});
  }

  settleUpload(fileId, error, ready) {
    const entry = this.files.get(fileId);
    if (!entry) {
      return;
    }
    if (error) {
      entry.refused = error.message;
    } else {
      entry.ready = ready;
    }
    const waiting = entry.waiting;
    entry.waiting = [];
    for (const w of waiting) {
      error ? w.reject(error) : w.resolve();
    }
  }

  // ------------------------------------------------------------------ the socket

  isOpen() {
    return this.socket !== null && this.welcomed && this.socket.readyState === 1;
  }

  ensureConnected() {
    if (this.isOpen()) {
      return Promise.resolve(this.lastWelcome);
    }
    if (!this.connecting) {
      this.connecting = this.open().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  async open() {
    if (!this.WebSocketImpl) {
      throw new Error('deskbridge: no WebSocket in this environment (pass options.WebSocket)');
    }
    const hello = { type: 'hello' };
    if (this.state.resumeToken) {
      hello.resumeToken = this.state.resumeToken;
    }
    const authToken = typeof this.options.authToken === 'function' ? await this.options.authToken() : this.options.authToken;
    if (typeof authToken === 'string' && authToken) {
      hello.authToken = authToken;
    }
    if (this.options.user) {
      hello.user = this.options.user;
    }
    const url = new URL('chat', this.serverUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return new Promise((resolve, reject) => {
      const socket = new this.WebSocketImpl(url.toString());
      this.socket = socket;
      this.welcomed = false;
      this.closedByUs = false;
      this.welcomeWaiter = { resolve, reject };
      socket.onopen = () => socket.send(JSON.stringify(hello));
      socket.onmessage = (event) => {
        if (this.socket === socket) {
          this.receive(event.data);
        }
      };
      socket.onclose = () => {
        if (this.socket === socket) {
          this.onSocketClosed();
        }
      };
      socket.onerror = () => {
        // onclose follows and decides what to do
      };
    });
  }

  send(frame) {
    if (this.socket && this.socket.readyState === 1) {
      this.socket.send(JSON.stringify(frame));
    }
  }

  /** Closes the socket for good (the host page is done with the chat). */
  close() {
    this.closedByUs = true;
    clearTimeout(this.retryTimer);
    this.socket?.close(1000, 'closed by the page');
    this.socket = null;
  }

  onSocketClosed() {
    const wasWelcomed = this.welcomed;
    this.socket = null;
    this.welcomed = false;
    if (this.welcomeWaiter) {
      const waiter = this.welcomeWaiter;
      this.welcomeWaiter = null;
      if (!this.chatActive) {
        waiter.reject(new Error('deskbridge: the chat server could not be reached'));
        return;
      }
      // Keep waiting: the retry below resolves it.
      this.welcomeWaiter = waiter;
    }
    if (this.closedByUs) {
      return;
    }
    if (this.chatActive) {
      if (wasWelcomed && !this.disconnectedShown) {
        this.disconnectedShown = true;
        this.callback.setErrorStatus({ type: ErrorType.DISCONNECTED, isDisconnected: true });
      }
      this.scheduleRetry();
    } else {
      this.failPending(new Error('deskbridge: the connection to the chat server was lost'));
    }
  }

  scheduleRetry(delayMs) {
    clearTimeout(this.retryTimer);
    const delay = delayMs ?? this.reconnectDelays[Math.min(this.attempt, this.reconnectDelays.length - 1)];
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      const waiter = this.welcomeWaiter;
      this.welcomeWaiter = null;
      this.connecting = this.open().finally(() => {
        this.connecting = null;
      });
      this.connecting.then((welcome) => waiter?.resolve(welcome), (error) => waiter?.reject(error));
    }, delay);
  }

  // ------------------------------------------------------------------ server frames -> Carbon's callback

  receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (error) {
      this.log.warn?.('deskbridge: ignored a frame that is not JSON');
      return;
    }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') {
      this.log.warn?.('deskbridge: ignored a frame without a type');
      return;
    }
    const handler = FRAME_HANDLERS[frame.type];
    if (handler) {
      handler.call(this, frame);
    }
    // Frame types this adapter does not know are ignored (the protocol's compatibility rule).
  }

  onWelcome(frame) {
    this.welcomed = true;
    this.attempt = 0;
    this.lastWelcome = frame;
    const tokenChanged = frame.resumeToken !== this.state.resumeToken;
    this.state.resumeToken = frame.resumeToken;
    this.capabilities = Array.isArray(frame.capabilities) ? frame.capabilities : [];
    this.callback.updateCapabilities({
      allowFileUploads: this.capabilities.includes('fileUploads'),
      allowMultipleFileUploads: this.options.allowMultipleFileUploads ?? true,
      allowedFileUploadTypes: this.options.allowedFileUploadTypes ?? '',
    });
    const chat = frame.resumed ? frame.chat : undefined;
    if (this.chatActive) {
      this.deliverMissed(chat);
      if (this.disconnectedShown) {
        this.disconnectedShown = false;
        this.callback.setErrorStatus({ type: ErrorType.DISCONNECTED, isDisconnected: false });
      }
      if (!chat || chat.status === 'ended') {
        // Ended while the socket was down (by the agent, or expired): Carbon has not been told yet.
        this.chatOver(chat?.endReason ?? 'expired', true);
      } else if (this.pendingStart && chat.status !== 'starting') {
        this.settleStart();
      }
      for (const pending of this.pendingMessages.values()) {
        this.send(pending.frame);
      }
    } else if (chat && chat.status !== 'ended') {
      // reconnect(): Carbon shows the transcript it kept; only what arrived while the page was away is new.
      this.chatActive = true;
      this.deliverMissed(chat);
    }
    if (tokenChanged || !this.stateSaved) {
      this.saveState();
    }
    const waiter = this.welcomeWaiter;
    this.welcomeWaiter = null;
    waiter?.resolve(frame);
  }

  /** Delivers the agent messages of a resumed chat's transcript that came after the last one Carbon was shown. */
  deliverMissed(chat) {
    const transcript = Array.isArray(chat?.transcript) ? chat.transcript : [];
    const fromAgent = transcript.filter((e) => e.from !== 'user');
    // After the last message Carbon was shown; all of them when it was shown none of this chat.
    const index = this.state.lastMessageId ? fromAgent.findIndex((e) => e.id === this.state.lastMessageId) : -1;
    const start = index + 1;
    for (const entry of fromAgent.slice(start)) {
      this.onAgentMessage({ id: entry.id, text: entry.text, agentId: entry.agentId, origin: entry.from });
    }
  }

  onAgentMessage(frame) {
    if (typeof frame.text !== 'string') {
      return;
    }
    this.callback.sendMessageToUser(frame.text, typeof frame.agentId === 'string' ? frame.agentId : undefined);
    if (typeof frame.id === 'string') {
      this.state.lastMessageId = frame.id;
      this.saveState();
    }
  }

  saveState() {
    this.stateSaved = true;
    this.callback.updatePersistedState({ resumeToken: this.state.resumeToken, lastMessageId: this.state.lastMessageId }, true);
  }

  settleStart(error) {
    const pending = this.pendingStart;
    this.pendingStart = null;
    if (pending) {
      error ? pending.reject(error) : pending.resolve();
    }
  }

  /**
   * The chat ended without the user ending it here. Carbon learns it from agentEndedChat, unless a frame already told
   * it (agentEnded, or a CONNECTING error for a chat that failed); {@code missed}: it ended while the socket was down.
   */
  chatOver(reason, missed = false) {
    const wasActive = this.chatActive;
    this.chatActive = false;
    this.failPending(new Error('deskbridge: the chat ended (' + reason + ')'));
    if (wasActive && (missed || (reason !== 'user' && reason !== 'agent' && reason !== 'failed'))) {
      this.callback.agentEndedChat();
    }
  }

  failPending(error, { keepEnd = false } = {}) {
    this.settleStart(error);
    for (const waiter of this.pendingOnline.splice(0)) {
      waiter.reject(error);
    }
    for (const [id, pending] of this.pendingMessages) {
      this.pendingMessages.delete(id);
      pending.reject(error);
    }
    if (!keepEnd) {
      for (const resolve of this.pendingEnd.splice(0)) {
        resolve();
      }
    }
  }

  onError(frame) {
    switch (frame.errorType) {
      case 'CONNECTING': {
        const info = { type: ErrorType.CONNECTING };
        if (typeof frame.messageToUser === 'string') {
          info.messageToUser = frame.messageToUser;
        }
        this.callback.setErrorStatus(info);
        this.settleStart(new Error(frame.messageToUser ?? 'deskbridge: the chat could not be connected'));
        break;
      }
      case 'DISCONNECTED':
        this.callback.setErrorStatus({ type: ErrorType.DISCONNECTED, isDisconnected: frame.isDisconnected === true });
        break;
      case 'USER_MESSAGE':
        if (typeof frame.messageId === 'string') {
          this.callback.setErrorStatus({ type: ErrorType.USER_MESSAGE, messageID: frame.messageId });
        }
        break;
      case 'BAD_REQUEST':
        this.onBadRequest(frame);
        break;
      default:
        break;
    }
  }

  onBadRequest(frame) {
    const problem = new Error('deskbridge: ' + (frame.messageToUser ?? frame.code));
    if (typeof frame.messageId === 'string' && this.pendingMessages.has(frame.messageId)) {
      const pending = this.pendingMessages.get(frame.messageId);
      if (frame.code === 'RATE_LIMITED') {
        setTimeout(() => this.pendingMessages.has(frame.messageId) && this.send(pending.frame), 1000);
        return;
      }
      this.pendingMessages.delete(frame.messageId);
      pending.reject(problem);
      return;
    }
    switch (frame.code) {
      case 'SERVER_BUSY':
      case 'NOT_AUTHENTICATED':
        if (!this.welcomed) {
          const waiter = this.welcomeWaiter;
          this.welcomeWaiter = null;
          if (frame.code === 'SERVER_BUSY' && this.chatActive) {
            this.welcomeWaiter = waiter;
            this.closedByUs = true;
            this.socket?.close(1000, 'server busy');
            this.socket = null;
            const [low, high] = SERVER_BUSY_DELAY;
            this.scheduleRetry(low + Math.random() * (high - low));
            return;
          }
          this.closedByUs = true;
          this.socket?.close(1000, frame.code);
          this.socket = null;
          waiter?.reject(problem);
        }
        break;
      case 'CHAT_IN_PROGRESS':
      case 'NO_CHAT':
        this.settleStart(problem);
        for (const resolve of this.pendingEnd.splice(0)) {
          resolve();
        }
        break;
      case 'RATE_LIMITED':
        if (this.pendingStart) {
          setTimeout(() => this.pendingStart && this.send({ type: 'startChat' }), 1000);
        }
        break;
      default:
        this.log.warn?.('deskbridge: the server refused a frame: ' + (frame.messageToUser ?? frame.code));
    }
  }

  onMessageStatus(frame) {
    const pending = this.pendingMessages.get(frame.id);
    if (!pending) {
      return;
    }
    this.pendingMessages.delete(frame.id);
    if (frame.status === 'sent') {
      for (const fileId of pending.fileIds) {
        if (!this.files.get(fileId)?.failed) {
          this.callback.setFileUploadStatus(fileId, false);
        }
        this.files.delete(fileId);
      }
      pending.resolve();
    } else {
      pending.reject(new Error('deskbridge: ' + (frame.error ?? 'the message could not be delivered')));
    }
  }

  onChatEnded(frame) {
    for (const resolve of this.pendingEnd.splice(0)) {
      resolve();
    }
    if (this.pendingStart && frame.reason === 'failed') {
      this.settleStart(new Error('deskbridge: the chat could not be connected'));
    }
    if (this.chatActive) {
      this.chatOver(typeof frame.reason === 'string' ? frame.reason : 'expired');
    }
  }
}

function profile(agent) {
  if (!agent || typeof agent !== 'object' || typeof agent.id !== 'string') {
    return undefined;
  }
  const result = { id: agent.id, nickname: typeof agent.nickname === 'string' ? agent.nickname : agent.id, user_type: 'human' };
  if (typeof agent.avatarUrl === 'string') {
    result.profile_picture_url = agent.avatarUrl;
  }
  return result;
}

/** Every server frame of protocol version 1 and what it becomes for Carbon. */
const FRAME_HANDLERS = {
  welcome(frame) {
    this.onWelcome(frame);
  },
  agentsOnline(frame) {
    this.pendingOnline.shift()?.resolve(frame.status);
  },
  chatStarted() {
    this.settleStart();
  },
  availability(frame) {
    const availability = {};
    if (typeof frame.positionInQueue === 'number') {
      availability.positionInQueue = frame.positionInQueue;
    }
    if (typeof frame.estimatedWaitSeconds === 'number') {
      availability.estimatedWaitTime = Math.max(1, Math.ceil(frame.estimatedWaitSeconds / 60));
    }
    if (typeof frame.message === 'string') {
      availability.message = frame.message;
    }
    this.callback.updateAgentAvailability(availability);
  },
  agentJoined(frame) {
    const agent = profile(frame.agent);
    if (agent) {
      this.callback.agentJoined(agent);
    }
  },
  transferStarted(frame) {
    this.callback.beginTransferToAnotherAgent(profile(frame.agent));
  },
  agentLeft() {
    this.callback.agentLeftChat();
  },
  agentEnded() {
    this.chatActive = false;
    this.failPending(new Error('deskbridge: the agent ended the chat'));
    this.callback.agentEndedChat();
  },
  agentTyping(frame) {
    this.callback.agentTyping(frame.isTyping === true);
  },
  agentRead() {
    this.callback.agentReadMessages();
  },
  agentMessage(frame) {
    this.onAgentMessage(frame);
  },
  userMessage() {
    // A message the user sent from another tab: Carbon has no callback to show a user message.
  },
  messageStatus(frame) {
    this.onMessageStatus(frame);
  },
  error(frame) {
    this.onError(frame);
  },
  chatEnded(frame) {
    this.onChatEnded(frame);
  },
  uploadReady(frame) {
    const expiresInMs = (typeof frame.expiresInSeconds === 'number' ? frame.expiresInSeconds : 300) * 1000;
    this.settleUpload(frame.fileId, undefined, { url: frame.url, at: Date.now(), expiresInMs });
  },
  uploadRefused(frame) {
    const reason = typeof frame.messageToUser === 'string' ? frame.messageToUser : 'The file cannot be sent.';
    const refusal = new Error(reason);
    if (this.files.has(frame.fileId)) {
      this.files.get(frame.fileId).failed = true;
      this.callback.setFileUploadStatus(frame.fileId, true, reason);
      refusal.reported = true;
    }
    this.settleUpload(frame.fileId, refusal);
  },
  fileStatus(frame) {
    const failed = frame.status === 'failed';
    const entry = this.files.get(frame.fileId);
    if (entry) {
      entry.failed = failed;
    }
    this.callback.setFileUploadStatus(frame.fileId, failed, failed ? frame.error : undefined);
  },
};

function resolveServerUrl(serverUrl) {
  const base = serverUrl ?? new URL('./', import.meta.url).toString();
  const url = new URL(base, globalThis.location?.href);
  if (!url.pathname.endsWith('/')) {
    url.pathname += '/';
  }
  return url;
}

/** PUTs a file's bytes with progress (XMLHttpRequest where there is one, else fetch); rejects with the server's reason. */
export function uploadWithBrowser(url, file, onProgress) {
  if (typeof XMLHttpRequest === 'undefined') {
    return fetch(url, { method: 'PUT', body: file }).then(async (response) => {
      if (!response.ok) {
        throw new Error(await uploadError(response.status, () => response.text()));
      }
      return response.json();
    });
  }
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', url);
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    request.onload = async () => {
      if (request.status >= 200 && request.status < 300) {
        resolve(JSON.parse(request.responseText));
      } else {
        reject(new Error(await uploadError(request.status, () => request.responseText)));
      }
    };
    request.onerror = () => reject(new Error('The file could not be uploaded: the connection failed.'));
    request.send(file);
  });
}

async function uploadError(status, body) {
  try {
    const error = JSON.parse(await body());
    if (typeof error.messageToUser === 'string') {
      return error.messageToUser;
    }
  } catch (ignored) {
    // not our JSON
  }
  return 'The file could not be uploaded (HTTP ' + status + ').';
}
