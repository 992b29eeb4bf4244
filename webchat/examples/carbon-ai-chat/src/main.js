// Carbon AI Chat, a scripted assistant (Carbon's custom send-message hook: no IBM service), and deskbridge as the
// service desk. The page takes the web chat's address from ?server=... (default http://localhost:8080/) and, for
// a web chat with webchat.auth=jwt, the signed-in user's token from #authToken=... (a fragment is never sent to a
// server).
import '@carbon/ai-chat/dist/es/web-components/cds-aichat-container/index.js';

const params = new URLSearchParams(location.search);
const server = new URL(params.get('server') ?? 'http://localhost:8080/');
const authToken = new URLSearchParams(location.hash.slice(1)).get('authToken') ?? undefined;
document.getElementById('server').textContent = server.toString();

const WELCOME = 'Hi! I am the example assistant of this page. Type **agent** to talk to a person.';

/** The scripted assistant: "agent" (or "human", "person") is answered with a connect_to_agent response. */
async function customSendMessage(request, requestOptions, instance) {
  const text = (request.input.text ?? '').trim();
  if (!text) {
    await instance.messaging.addMessage({ output: { generic: [{ response_type: 'text', text: WELCOME }] } });
    return;
  }
  if (/\b(agent|human|person)\b/i.test(text)) {
    await instance.messaging.addMessage({
      output: {
        generic: [
          { response_type: 'text', text: 'Let me find someone who can help.' },
          {
            response_type: 'connect_to_agent',
            message_to_human_agent: 'The user asked the assistant for a person: "' + text + '"',
            agent_available: { message: 'An agent is available. Press the button to talk to them.' },
            agent_unavailable: { message: 'No agent is available right now. Please try again later.' },
            transfer_info: { additional_data: { topic: 'Carbon AI Chat example' } },
          },
        ],
      },
    });
    return;
  }
  await instance.messaging.addMessage({
    output: { generic: [{ response_type: 'text', text: 'I am only a script. Type **agent** to talk to a person.' }] },
  });
}

async function start() {
  const status = document.getElementById('status');
  let adapter;
  try {
    // The adapter is served by the deskbridge web chat itself: the page always speaks the server's own version.
    adapter = await import(new URL('deskbridge-service-desk.js', server).toString());
  } catch (error) {
    status.textContent = 'The deskbridge web chat at ' + server + ' could not be reached: start it first (see the README).';
    throw error;
  }
  const chat = document.createElement('cds-aichat-container');
  chat.messaging = { customSendMessage };
  chat.serviceDeskFactory = adapter.createDeskbridgeServiceDesk({
    serverUrl: server.toString(),
    authToken,
    allowedFileUploadTypes: 'image/*,.pdf,.txt',
  });
  chat.serviceDesk = { availabilityTimeoutSeconds: 10 };
  chat.openChatByDefault = true;
  chat.header = { title: 'deskbridge example' };
  chat.assistantName = 'Example assistant';
  document.body.appendChild(chat);
  status.textContent = 'Ready.';
}

start();
