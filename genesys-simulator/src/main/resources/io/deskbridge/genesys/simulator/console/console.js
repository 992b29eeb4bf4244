// The agent console of the Genesys simulator: polls /api/state and drives the agent actions, for the chats of both
// transports (guest chat and web messaging).
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  let state = { agents: [], conversations: [] };
  let selectedId = null;
  let lastTypingSent = 0;

  function actingAgent() {
    return $('agent').value;
  }

  const TRANSPORTS = { 'guest-chat': 'guest chat', 'web-messaging': 'web messaging' };

  function webMessaging(conversation) {
    return conversation.transport === 'web-messaging';
  }

  function selected() {
    return state.conversations.find((c) => c.id === selectedId) || null;
  }

  function showError(text) {
    const box = $('error');
    box.textContent = text;
    box.hidden = false;
    clearTimeout(showError.timer);
    showError.timer = setTimeout(() => { box.hidden = true; }, 5000);
  }

  async function post(action, body) {
    const conversation = selected();
    if (!conversation) {
      return null;
    }
    const response = await fetch('api/conversations/' + encodeURIComponent(conversation.id) + '/' + action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body || {})
    });
    const answer = await response.json();
    if (!response.ok) {
      showError(answer.error || ('failed: ' + response.status));
      return null;
    }
    await refresh();
    return answer;
  }

  function fillAgents(select, agents, keep) {
    const previous = select.value;
    select.replaceChildren(...agents.map((agent) => {
      const option = document.createElement('option');
      option.value = agent.id;
      option.textContent = agent.displayName;
      return option;
    }));
    if (keep && agents.some((a) => a.id === previous)) {
      select.value = previous;
    }
  }

  function renderList() {
    const list = $('conversations');
    list.replaceChildren(...state.conversations.map((conversation) => {
      const item = document.createElement('li');
      item.className = conversation.status.split(' ')[0] + (conversation.id === selectedId ? ' selected' : '');
      const name = document.createElement('strong');
      name.textContent = conversation.guestName;
      const status = document.createElement('span');
      status.className = 'status';
      status.textContent = conversation.status + (conversation.agentName ? ' · ' + conversation.agentName : '')
        + (conversation.alertingAgentName ? ' · ' + conversation.alertingAgentName : '')
        + ' · ' + conversation.queue + ' · ' + TRANSPORTS[conversation.transport];
      item.append(name, status);
      item.addEventListener('click', () => {
        selectedId = conversation.id;
        history.replaceState(null, '', '#' + conversation.id);
        render();
      });
      return item;
    }));
    $('empty').hidden = state.conversations.length > 0;
  }

  function renderChat() {
    const conversation = selected();
    $('chat').hidden = !conversation;
    if (!conversation) {
      return;
    }
    $('guest').textContent = conversation.guestName;
    $('status').textContent = conversation.status
      + (conversation.agentName ? ' with ' + conversation.agentName : '')
      + (conversation.alertingAgentName ? ': offered to ' + conversation.alertingAgentName : '')
      + ' · ' + TRANSPORTS[conversation.transport]
      + (conversation.streamAttached ? '' : webMessaging(conversation) ? ' · guest socket not connected'
        : ' · event stream not attached');
    const me = actingAgent();
    const active = !conversation.status.startsWith('ended') && conversation.status !== 'connecting';
    const mine = conversation.agentId === me;
    $('accept').disabled = !active || conversation.agentId === me
      || (conversation.alertingAgentId && conversation.alertingAgentId !== me);
    $('transfer').disabled = !active || !conversation.agentId;
    $('leave').disabled = !active || !conversation.agentId;
    $('end').disabled = !active;
    $('read').hidden = !webMessaging(conversation);
    $('read').disabled = !active || !mine;
    $('notice').textContent = webMessaging(conversation) ? 'As bot' : 'Notice';
    $('notice').title = webMessaging(conversation) ? 'Send as the bot (a flow message)' : 'Send as a notice';
    $('leave').title = webMessaging(conversation)
      ? 'Back to the queue; web messaging does not tell the guest' : 'Leave; the chat stays open';
    $('text').disabled = !active || !mine;
    $('guest-typing').hidden = !conversation.guestTyping;
    fillAgents($('transfer-target'), state.agents.filter((a) => a.id !== conversation.agentId), true);
    const list = $('messages');
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
    list.replaceChildren(...conversation.messages.map((message) => {
      const item = document.createElement('li');
      const announcement = message.bodyType === 'member-join' || message.bodyType === 'member-leave';
      item.className = message.senderRole + (message.bodyType === 'notice' ? ' notice' : '')
        + (announcement ? ' announcement' : '');
      if (announcement) {
        item.textContent = (message.senderName || 'An agent')
          + (message.bodyType === 'member-join' ? ' joined' : ' left');
        return item;
      }
      const who = document.createElement('span');
      who.className = 'who';
      who.textContent = (message.senderName || message.senderRole.toLowerCase()) + ' · '
        + message.timestamp.substring(11, 19);
      item.append(who, document.createTextNode(message.body));
      return item;
    }));
    if (atBottom) {
      list.scrollTop = list.scrollHeight;
    }
  }

  function render() {
    renderList();
    renderChat();
  }

  async function refresh() {
    try {
      const response = await fetch('api/state', { cache: 'no-store' });
      state = await response.json();
      if ($('agent').options.length !== state.agents.length) {
        fillAgents($('agent'), state.agents, true);
      }
      if (!selected()) {
        // the chat the address names (#id), else the first waiting one, else the newest
        const named = state.conversations.find((c) => '#' + c.id === location.hash);
        const waiting = state.conversations.find((c) => c.status === 'waiting' || c.status === 'alerting');
        const first = named || waiting || state.conversations[0];
        selectedId = first ? first.id : null;
      }
      render();
    } catch (e) {
      showError('The simulator does not answer: ' + e.message);
    }
  }

  $('agent').addEventListener('change', render);
  $('accept').addEventListener('click', () => post('accept', { agentId: actingAgent() }));
  $('transfer').addEventListener('click', () => post('transfer', { agentId: $('transfer-target').value }));
  $('leave').addEventListener('click', () => post('leave'));
  $('end').addEventListener('click', () => post('end'));
  $('read').addEventListener('click', () => post('read'));
  $('notice').addEventListener('click', async () => {
    const text = $('text').value;
    if (text.trim() && await post('notice', { text })) {
      $('text').value = '';
    }
  });
  $('text').addEventListener('input', () => {
    const now = Date.now();
    if (now - lastTypingSent > 3000) {
      lastTypingSent = now;
      post('typing');
    }
  });
  $('composer').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = $('text').value;
    if (text.trim() && await post('send', { text })) {
      $('text').value = '';
      lastTypingSent = 0;
    }
  });

  refresh();
  setInterval(refresh, 1000);
}());
