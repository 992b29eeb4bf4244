// The deskbridge chat page: speaks the chat socket protocol (docs/protocol.md) with the web chat server.
// No build step, no dependencies. The resume token lives in sessionStorage, so a reload resumes the chat.
(function () {
  'use strict';

  var TOKEN_KEY = 'deskbridge.resumeToken';
  var AUTH_KEY = 'deskbridge.authToken';
  var TYPING_REPEAT_MS = 3000;
  var TYPING_IDLE_MS = 4000;

  var el = function (id) { return document.getElementById(id); };
  var ui = {
    agentsOnline: el('agents-online'), agentsOnlineText: el('agents-online-text'), connection: el('connection'),
    start: el('start'), startForm: el('start-form'), topic: el('topic'), startButton: el('start-chat'),
    conversation: el('conversation'), agent: el('agent'), agentAvatar: el('agent-avatar'), agentInitials: el('agent-initials'),
    agentName: el('agent-name'), agentStatus: el('agent-status'), messages: el('messages'), typing: el('typing'),
    composer: el('composer'), message: el('message'), send: el('send'), endChat: el('end-chat'),
    ended: el('ended'), endedText: el('ended-text'), newChat: el('new-chat'),
    files: el('files'), fileInput: el('file-input'), attach: el('attach')
  };

  var socket = null;
  var greeted = false;
  var everConnected = false;
  var reconnectDelay = 1000;
  var BUSY_RETRY_MS = 20000;
  var chatState = 'idle'; // idle | starting | waiting | joined | transferring | agentLeft | ended
  var agent = null;
  var messageViews = {}; // message id -> list item of a user message
  var deskMessageIds = {}; // ids of the agent's messages shown: a chat moved to another server may catch up on one again
  var typingSentAt = 0;
  var typingTimer = null;
  var restoredTimer = null;
  var filesAccepted = false; // the desk takes files (welcome.capabilities has fileUploads)
  var uploads = {}; // file id -> {file, row, state: checking | uploading | ready | failed}
  var sentFiles = {}; // file id -> the line under the user message that carried it

  // ---- the socket ----------------------------------------------------------------------------------------------

  function authToken() {
    var match = /(?:^#|&)authToken=([^&]+)/.exec(location.hash);
    if (match) {
      sessionStorage.setItem(AUTH_KEY, decodeURIComponent(match[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
    return sessionStorage.getItem(AUTH_KEY);
  }

  function connect() {
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/chat';
    socket = new WebSocket(url);
    greeted = false;
    socket.onopen = function () {
      reconnectDelay = 1000;
      sayHello();
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      handle(frame);
    };
    socket.onclose = function (event) {
      socket = null;
      greeted = false;
      if (everConnected) {
        showConnection('Connection lost. Reconnecting…', false);
      }
      setComposerEnabled(false);
      if (event && event.code === 1012) {
        // The server hands its chats to another server (a restart or a move): reconnect now, spread over half a second.
        setTimeout(connect, Math.floor(Math.random() * 500));
        return;
      }
      setTimeout(connect, reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, 15000);
    };
  }

  function sayHello() {
    var hello = { type: 'hello' };
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (token) { hello.resumeToken = token; }
    var auth = authToken();
    if (auth) { hello.authToken = auth; }
    hello.user = { locale: navigator.language || 'en' };
    send(hello);
  }

  // The server holds as many sessions as it allows: ask again after a while, on the same socket, spread out so
  // that many waiting pages do not all come back at once.
  function helloLater() {
    var refused = socket;
    setTimeout(function () {
      if (socket === refused && !greeted) { sayHello(); } // a new socket says hello on its own
    }, BUSY_RETRY_MS + Math.floor(Math.random() * BUSY_RETRY_MS));
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function handle(frame) {
    switch (frame.type) {
      case 'welcome': return onWelcome(frame);
      case 'agentsOnline': return showAgentsOnline(frame.status);
      case 'chatStarted':
        if (chatState === 'starting' || chatState === 'idle') {
          setState(agent ? 'joined' : 'waiting'); // a chat resumed after a server restart keeps its agent
          ui.message.focus();
        }
        return;
      case 'availability': return onAvailability(frame);
      case 'agentJoined': return onAgentJoined(frame.agent);
      case 'transferStarted':
        setTyping(false);
        setState('transferring');
        return notice(frame.agent ? 'Transferring you to ' + frame.agent.nickname + '…' : 'Transferring you to another agent…');
      case 'agentLeft':
        setTyping(false);
        setState('agentLeft');
        return notice((agent ? agent.nickname : 'The agent') + ' left the chat.');
      case 'agentEnded':
        setTyping(false);
        return notice((agent ? agent.nickname : 'The agent') + ' ended the chat.');
      case 'agentTyping': return setTyping(frame.isTyping);
      case 'agentRead': return onAgentRead();
      case 'agentMessage':
        setTyping(false);
        if (frame.id && deskMessageIds[frame.id]) { return; }
        if (frame.id) { deskMessageIds[frame.id] = true; }
        addAgentMessage(frame.text, frame.origin || 'agent', frame.agentName);
        if (document.visibilityState === 'visible') { send({ type: 'read' }); }
        return;
      case 'userMessage': return addUserMessage(frame.id, frame.text, 'sending');
      case 'messageStatus': return setDelivery(frame.id, frame.status, frame.error);
      case 'error': return onError(frame);
      case 'chatEnded': return onChatEnded(frame.reason);
      case 'uploadReady': return onUploadReady(frame);
      case 'uploadRefused': return setUploadState(frame.fileId, 'failed', frame.messageToUser);
      case 'fileStatus': return onFileStatus(frame);
      default: return; // newer server frames are ignored
    }
  }

  function onWelcome(frame) {
    greeted = true;
    var wasConnected = everConnected;
    everConnected = true;
    sessionStorage.setItem(TOKEN_KEY, frame.resumeToken);
    filesAccepted = (frame.capabilities || []).indexOf('fileUploads') >= 0;
    if (wasConnected) {
      showConnection('Connection restored.', true);
    } else {
      hideConnection();
    }
    clearConversation();
    deskMessageIds = {};
    if (frame.chat) {
      redraw(frame.chat);
    } else {
      setState('idle');
    }
    send({ type: 'agentsOnline' });
  }

  function redraw(chat) {
    chat.transcript.forEach(function (entry) {
      if (entry.from === 'user') {
        addUserMessage(entry.id, entry.text, entry.status);
      } else {
        deskMessageIds[entry.id] = true;
        addAgentMessage(entry.text, entry.from, entry.agentName);
      }
    });
    if (chat.agent) { showAgent(chat.agent); }
    if (chat.status === 'ended') {
      onChatEnded(chat.endReason, true);
      ui.messages.scrollTop = ui.messages.scrollHeight;
      return;
    }
    setState(chat.status);
    ui.messages.scrollTop = ui.messages.scrollHeight;
    if (chat.availability) { onAvailability(chat.availability); }
    setTyping(chat.agentTyping);
    if (chat.disconnected) { showConnection('The agent\'s system is reconnecting…', false); }
  }

  // ---- the chat ------------------------------------------------------------------------------------------------

  function setState(state) {
    chatState = state;
    var inChat = state !== 'idle';
    ui.start.hidden = inChat;
    ui.conversation.hidden = !inChat;
    ui.endChat.hidden = !inChat || state === 'ended';
    ui.ended.hidden = state !== 'ended';
    ui.composer.hidden = state === 'ended';
    setComposerEnabled(greeted && ['waiting', 'joined', 'transferring', 'agentLeft'].indexOf(state) >= 0);
    ui.startButton.disabled = !greeted;
    if (state === 'starting') { ui.agentStatus.textContent = 'Connecting…'; }
    if (state === 'waiting' && !agent) {
      ui.agent.hidden = false;
      ui.agentName.textContent = 'Waiting for an agent';
      ui.agentInitials.textContent = '…';
      ui.agentAvatar.hidden = true;
      ui.agentInitials.hidden = false;
      ui.agentStatus.textContent = 'You are in the queue.';
    }
    if (state === 'joined' && agent) { ui.agentStatus.textContent = 'In the chat'; }
    if (state === 'transferring') { ui.agentStatus.textContent = 'Transferring…'; }
    if (state === 'agentLeft') { ui.agentStatus.textContent = 'Left the chat'; }
    if (state === 'ended') { ui.agentStatus.textContent = 'Chat ended'; }
  }

  function setComposerEnabled(enabled) {
    ui.message.disabled = !enabled;
    ui.send.disabled = !enabled;
    ui.attach.hidden = !filesAccepted;
    ui.attach.disabled = !enabled;
    if (!enabled && chatState === 'ended') { clearUploads(); }
  }

  function onAvailability(a) {
    var parts = [];
    if (a.positionInQueue) { parts.push('You are number ' + a.positionInQueue + ' in the queue'); }
    if (a.estimatedWaitSeconds !== undefined) { parts.push('about ' + formatWait(a.estimatedWaitSeconds) + ' to wait'); }
    var text = parts.join(', ');
    if (a.message) { text = text ? text + '. ' + a.message : a.message; }
    if (!text) { text = 'Connecting you to an agent…'; }
    if (chatState === 'starting') { setState('waiting'); }
    ui.agentStatus.textContent = text;
    notice(text);
  }

  function formatWait(seconds) {
    if (seconds < 60) { return seconds + ' seconds'; }
    var minutes = Math.round(seconds / 60);
    return minutes + (minutes === 1 ? ' minute' : ' minutes');
  }

  function onAgentJoined(profile) {
    showAgent(profile);
    setState('joined');
    notice(profile.nickname + ' joined the chat.');
  }

  function showAgent(profile) {
    agent = profile;
    ui.agent.hidden = false;
    ui.agentName.textContent = profile.nickname;
    ui.agentStatus.textContent = 'In the chat';
    if (profile.avatarUrl) {
      ui.agentAvatar.src = profile.avatarUrl;
      ui.agentAvatar.hidden = false;
      ui.agentInitials.hidden = true;
    } else {
      ui.agentAvatar.hidden = true;
      ui.agentInitials.hidden = false;
      ui.agentInitials.textContent = initials(profile.nickname);
    }
  }

  function initials(name) {
    return name.split(/\s+/).filter(Boolean).slice(0, 2).map(function (w) { return w.charAt(0).toUpperCase(); }).join('');
  }

  function onAgentRead() {
    Object.keys(messageViews).forEach(function (id) {
      var item = messageViews[id];
      if (item.dataset.status === 'sent') { item.querySelector('.delivery').textContent = 'Read'; }
    });
  }

  function onError(frame) {
    switch (frame.errorType) {
      case 'CONNECTING':
        notice(frame.messageToUser || 'We could not connect you to an agent.');
        return;
      case 'DISCONNECTED':
        if (frame.isDisconnected) {
          showConnection('The agent\'s system is reconnecting… your messages are kept.', false);
        } else {
          showConnection('Connection to the agent restored.', true);
        }
        return;
      case 'USER_MESSAGE':
        setDelivery(frame.messageId, 'failed', frame.messageToUser);
        return;
      default: // BAD_REQUEST
        if (frame.messageId) {
          setDelivery(frame.messageId, 'failed', frame.messageToUser);
        } else if (frame.code === 'NOT_AUTHENTICATED') {
          showConnection(frame.messageToUser, false);
        } else if (frame.code === 'SERVER_BUSY') {
          showConnection((frame.messageToUser || 'The chat service is busy.') + ' We will try again shortly.', false);
          helloLater();
        } else {
          notice(frame.messageToUser || 'The server refused a request.');
        }
    }
  }

  function onChatEnded(reason, quiet) {
    setTyping(false);
    var text = {
      user: 'You ended the chat.',
      agent: 'The agent ended the chat.',
      failed: 'We could not connect you to an agent.',
      expired: 'The chat ended after a period of inactivity.',
      shutdown: 'The chat service restarted, so the chat ended.'
    }[reason] || 'The chat has ended.';
    if (!quiet && reason !== 'agent') { notice(text); }
    ui.endedText.textContent = text;
    setState('ended');
    ui.newChat.focus();
  }

  // ---- messages ------------------------------------------------------------------------------------------------

  function newId() {
    if (window.crypto && crypto.randomUUID) { return 'm-' + crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return 'm-' + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function addUserMessage(id, text, status) {
    if (messageViews[id]) { return setDelivery(id, status); }
    var item = document.createElement('li');
    item.className = 'message user';
    item.dataset.id = id;
    var who = document.createElement('span');
    who.className = 'visually-hidden';
    who.textContent = 'You: ';
    var body = document.createElement('span');
    body.className = 'text';
    body.textContent = text;
    var delivery = document.createElement('span');
    delivery.className = 'delivery';
    item.append(who, body, delivery);
    messageViews[id] = item;
    append(item);
    setDelivery(id, status);
  }

  function setDelivery(id, status, error) {
    var item = messageViews[id];
    if (!item) { return; }
    item.dataset.status = status;
    item.classList.toggle('failed', status === 'failed');
    var delivery = item.querySelector('.delivery');
    delivery.textContent = status === 'sent' ? 'Sent' : status === 'failed' ? 'Not delivered' + (error ? ': ' + error : '') : 'Sending…';
    var retry = item.querySelector('.retry');
    if (status === 'failed' && !retry) {
      retry = document.createElement('button');
      retry.type = 'button';
      retry.className = 'retry';
      retry.textContent = 'Retry';
      retry.setAttribute('aria-label', 'Retry sending this message');
      retry.addEventListener('click', function () {
        setDelivery(id, 'sending');
        if (!send({ type: 'message', id: id, text: item.querySelector('.text').textContent })) {
          setDelivery(id, 'failed', 'no connection');
        }
      });
      delivery.after(retry);
    } else if (status !== 'failed' && retry) {
      retry.remove();
    }
  }

  function addAgentMessage(text, origin, agentName) {
    var item = document.createElement('li');
    item.className = 'message ' + (origin === 'agent' ? 'agent' : 'bot');
    var who = document.createElement('span');
    who.className = 'who';
    who.textContent = origin === 'agent' ? (agentName || (agent ? agent.nickname : 'Agent')) : origin === 'bot' ? 'Bot' : 'Notice';
    var body = document.createElement('span');
    body.className = 'text';
    renderLightMarkdown(body, text);
    item.append(who, body);
    append(item);
  }

  // Agents write plain text with **bold** at most: built as DOM nodes, never as HTML.
  function renderLightMarkdown(target, text) {
    var parts = text.split(/\*\*([^*]+)\*\*/);
    parts.forEach(function (part, i) {
      if (i % 2 === 1) {
        var strong = document.createElement('strong');
        strong.textContent = part;
        target.appendChild(strong);
      } else if (part) {
        target.appendChild(document.createTextNode(part));
      }
    });
  }

  function notice(text) {
    var item = document.createElement('li');
    item.className = 'notice';
    item.textContent = text;
    append(item);
  }

  function append(item) {
    ui.messages.appendChild(item);
    ui.messages.scrollTop = ui.messages.scrollHeight;
  }

  function clearConversation() {
    ui.messages.textContent = '';
    messageViews = {};
    agent = null;
    ui.agent.hidden = true;
    setTyping(false);
  }

  function setTyping(isTyping) {
    ui.typing.textContent = isTyping ? (agent ? agent.nickname : 'The agent') + ' is typing…' : '';
  }

  // ---- banners -------------------------------------------------------------------------------------------------

  function showConnection(text, restored) {
    clearTimeout(restoredTimer);
    ui.connection.textContent = text;
    ui.connection.classList.toggle('restored', restored);
    ui.connection.hidden = false;
    if (restored) { restoredTimer = setTimeout(hideConnection, 4000); }
  }

  function hideConnection() {
    ui.connection.hidden = true;
  }

  function showAgentsOnline(status) {
    ui.agentsOnline.dataset.status = status;
    ui.agentsOnlineText.textContent = status === 'ONLINE' ? 'Agents are online'
      : status === 'OFFLINE' ? 'No agents are online right now' : 'Agents are usually online';
  }

  // ---- the user's actions --------------------------------------------------------------------------------------

  ui.startForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var frame = { type: 'startChat' };
    var topic = ui.topic.value.trim();
    if (topic) { frame.topic = topic; }
    if (send(frame)) {
      clearConversation();
      setState('starting');
      ui.agent.hidden = false;
      ui.agentName.textContent = 'Connecting you to an agent';
      ui.agentInitials.textContent = '…';
      notice('Connecting you to an agent…');
      ui.message.focus();
    }
  });

  ui.composer.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = ui.message.value;
    var ready = Object.keys(uploads).filter(function (fileId) { return uploads[fileId].state === 'ready'; });
    if (!text.trim() && ready.length === 0) { return; }
    var id = newId();
    addUserMessage(id, text, 'sending');
    var frame = { type: 'message', id: id, text: text };
    if (ready.length) {
      frame.files = ready;
      showSentFiles(id, ready);
    }
    if (!send(frame)) {
      setDelivery(id, 'failed', 'no connection');
    }
    ui.message.value = '';
    stopTyping();
    ui.message.focus();
  });

  ui.message.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.composer.requestSubmit();
    }
  });

  ui.message.addEventListener('input', function () {
    var now = Date.now();
    if (now - typingSentAt > TYPING_REPEAT_MS) {
      typingSentAt = now;
      send({ type: 'typing', isTyping: true });
    }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
  });

  function stopTyping() {
    clearTimeout(typingTimer);
    if (typingSentAt) {
      typingSentAt = 0;
      send({ type: 'typing', isTyping: false });
    }
  }

  // ---- files: checked by the server (the desk's rules, the size cap) before the bytes go over HTTP ---------------

  function selectFiles(list) {
    if (!filesAccepted || ui.attach.disabled) { return; }
    Array.prototype.forEach.call(list, function (file) {
      var fileId = 'f-' + newId().slice(2);
      var row = document.createElement('li');
      row.className = 'file';
      row.dataset.fileId = fileId;
      var name = document.createElement('span');
      name.className = 'name';
      name.textContent = file.name;
      var progress = document.createElement('progress');
      progress.max = 1;
      progress.value = 0;
      progress.hidden = true;
      var state = document.createElement('span');
      state.className = 'state';
      state.setAttribute('role', 'status');
      var remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'remove';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', 'Remove ' + file.name);
      remove.addEventListener('click', function () { dropUpload(fileId); });
      row.append(name, progress, state, remove);
      ui.files.appendChild(row);
      ui.files.hidden = false;
      uploads[fileId] = { file: file, row: row, state: 'checking' };
      setUploadState(fileId, 'checking');
      if (!send({ type: 'upload', fileId: fileId, fileName: file.name || 'file', contentType: file.type || 'application/octet-stream',
        size: file.size })) {
        setUploadState(fileId, 'failed', 'No connection to the chat server.');
      }
    });
  }

  function setUploadState(fileId, state, reason) {
    var upload = uploads[fileId];
    if (!upload) { return; }
    upload.state = state;
    upload.row.classList.toggle('failed', state === 'failed');
    upload.row.querySelector('progress').hidden = state !== 'uploading';
    upload.row.querySelector('.state').textContent = {
      checking: 'Checking…', uploading: 'Uploading…', ready: 'Ready to send', failed: reason || 'This file cannot be sent.'
    }[state];
  }

  function onUploadReady(frame) {
    var upload = uploads[frame.fileId];
    if (!upload) { return; }
    setUploadState(frame.fileId, 'uploading');
    var request = new XMLHttpRequest();
    request.open('PUT', frame.url);
    request.upload.onprogress = function (event) {
      if (event.lengthComputable) { upload.row.querySelector('progress').value = event.loaded / event.total; }
    };
    request.onload = function () {
      if (!uploads[frame.fileId]) { return; }
      if (request.status === 200) {
        setUploadState(frame.fileId, 'ready');
        return;
      }
      var reason;
      try { reason = JSON.parse(request.responseText).messageToUser; } catch (e) { reason = null; }
      setUploadState(frame.fileId, 'failed', reason || 'The upload failed (HTTP ' + request.status + ').');
    };
    request.onerror = function () { setUploadState(frame.fileId, 'failed', 'The upload failed: the connection was lost.'); };
    request.send(upload.file);
  }

  function dropUpload(fileId) {
    var upload = uploads[fileId];
    if (!upload) { return; }
    upload.row.remove();
    delete uploads[fileId];
    ui.files.hidden = Object.keys(uploads).length === 0;
  }

  function clearUploads() {
    Object.keys(uploads).forEach(dropUpload);
  }

  // The files a message carried, listed under it; each shows what the desk said of it (fileStatus).
  function showSentFiles(messageId, fileIds) {
    var item = messageViews[messageId];
    var list = document.createElement('span');
    list.className = 'attachments';
    fileIds.forEach(function (fileId) {
      var line = document.createElement('span');
      line.className = 'attachment';
      line.dataset.fileId = fileId;
      line.dataset.name = uploads[fileId].file.name;
      line.textContent = 'File: ' + uploads[fileId].file.name;
      list.appendChild(line);
      list.appendChild(document.createElement('br'));
      sentFiles[fileId] = line;
      dropUpload(fileId);
    });
    item.querySelector('.text').after(list);
  }

  function onFileStatus(frame) {
    var line = sentFiles[frame.fileId];
    if (!line) { return; }
    line.textContent = 'File: ' + line.dataset.name + (frame.status === 'failed' ? ': not sent (' + (frame.error || 'refused') + ')' : '');
    line.classList.toggle('failed', frame.status === 'failed');
  }

  ui.attach.addEventListener('click', function () { ui.fileInput.click(); });
  ui.fileInput.addEventListener('change', function () {
    selectFiles(ui.fileInput.files);
    ui.fileInput.value = '';
  });
  ui.conversation.addEventListener('dragover', function (event) {
    if (filesAccepted && event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, 'Files') >= 0) {
      event.preventDefault();
      ui.conversation.classList.add('dropping');
    }
  });
  ui.conversation.addEventListener('dragleave', function () { ui.conversation.classList.remove('dropping'); });
  ui.conversation.addEventListener('drop', function (event) {
    ui.conversation.classList.remove('dropping');
    if (event.dataTransfer && event.dataTransfer.files.length) {
      event.preventDefault();
      selectFiles(event.dataTransfer.files);
    }
  });

  ui.endChat.addEventListener('click', function () {
    send({ type: 'endChat' });
  });

  ui.newChat.addEventListener('click', function () {
    clearConversation();
    setState('idle');
    send({ type: 'agentsOnline' });
    ui.topic.focus();
  });

  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible' && chatState === 'joined') { send({ type: 'read' }); }
  });

  setState('idle');
  connect();
})();
