// The playground chat (/console/prompts/playground/{id}): a message is posted with the CSRF header,
// then the reply is read as server-sent events from a same-origin URL (the session cookie signs it
// in) and shown as it arrives: text deltas, each tool's dry run as a card, the "ended" banner.
const chat = document.getElementById('chat');
const form = document.getElementById('message-form');
const input = document.getElementById('text');
const error = document.getElementById('text-error');
const header = document.querySelector('meta[name="csrf-header"]')?.content;
const token = document.querySelector('meta[name="csrf-token"]')?.content;

function line(role) {
  const item = document.createElement('li');
  item.className = `chat-${role}`;
  chat.append(item);
  return item;
}

function say(role, text) {
  const item = line(role);
  const span = document.createElement('span');
  span.textContent = text;
  item.append(span);
  return span;
}

function toolCard(data) {
  const item = line('tool');
  const name = document.createElement('strong');
  name.className = 'tool-name';
  name.textContent = `Tool ${data.tool} (dry run)`;
  const args = document.createElement('code');
  args.className = 'tool-arguments';
  args.textContent = JSON.stringify(data.arguments);
  const effect = document.createElement('span');
  effect.textContent = data.dryRun;
  item.append(name, ' ', args, ' ', effect);
}

function ended(data) {
  const banner = document.createElement('p');
  banner.id = 'ended';
  banner.className = 'notice';
  banner.setAttribute('role', 'status');
  banner.textContent = `The call would have ended here (${data.outcome}). ${data.detail ?? ''}`;
  form.replaceWith(banner);
}

function showError(message) {
  error.textContent = message;
  error.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', 'text-error');
  input.focus();
}

function clearError() {
  error.hidden = true;
  input.removeAttribute('aria-invalid');
  input.removeAttribute('aria-describedby');
}

function streamReply(button) {
  let answer = null;
  const events = new EventSource(chat.dataset.reply);
  const finish = () => {
    events.close();
    button.disabled = false;
    chat.removeAttribute('aria-busy');
    if (document.body.contains(input)) {
      input.focus();
    }
  };
  events.addEventListener('delta', (event) => {
    if (answer === null) {
      answer = say('assistant', '');
    }
    answer.textContent += JSON.parse(event.data).text;
  });
  events.addEventListener('tool', (event) => {
    toolCard(JSON.parse(event.data));
    answer = null; // the model's next words start a new line after the tool
  });
  events.addEventListener('ended', (event) => ended(JSON.parse(event.data)));
  events.addEventListener('done', finish);
  events.addEventListener('error', (event) => {
    // A named "error" event carries the model's failure; a bare one is the connection.
    say('failed', event.data ? JSON.parse(event.data).detail : 'The reply stream broke off.');
    finish();
  });
}

form?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = input.value.trim();
  const button = form.querySelector('button');
  clearError();
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (header && token) {
    headers[header] = token;
  }
  const response = await fetch(chat.dataset.send, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ text }),
    credentials: 'same-origin',
  });
  if (response.status !== 204) {
    const problem = await response.json().catch(() => ({}));
    showError(problem.text ?? `The message was refused (${response.status}).`);
    return;
  }
  say('user', text);
  input.value = '';
  button.disabled = true;
  chat.setAttribute('aria-busy', 'true');
  streamReply(button);
});
