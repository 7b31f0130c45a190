// Sign up and sign in, with the consent and privacy note in plain words.
import data from 'virtual:tta-data';
import type { App } from '../app';
import { h } from '../dom';
import { resourcesFor } from '../helplines';
import { savedLocale } from '../storage';
import { busy, errorBox, field } from './forms';
import { ApiError } from '../api';

const USERNAME = /^[A-Za-z0-9._-]{3,32}$/;

function privacyNote(): HTMLElement {
  const emergency = resourcesFor(data.helplines, savedLocale()).emergency;
  return h(
    'section',
    { class: 'note', 'aria-labelledby': 'privacy-title' },
    h('h2', { id: 'privacy-title' }, 'Before you start: what TTA is, and what it keeps'),
    h(
      'ul',
      {},
      h('li', {}, 'TTA is a story game that can help you practise skills like grounding and calmer breathing. It is not therapy and not a substitute for professional care.'),
      h('li', {}, 'We keep your username, your email if you give one, your characters and your story, so you can come back to it.'),
      h('li', {}, 'What you type, your journal and your answers to questionnaires are locked with a key that belongs to your account alone. If you delete your account, the key is deleted and nobody can read them again.'),
      h('li', {}, 'If something you type sounds like you are in danger, the story pauses and shows you where to get help. A record that this happened is kept so that help can be offered; the words you typed are not shared.'),
      h('li', {}, 'You can say no to anything the story offers, stop whenever you like, and change your choices in Settings.'),
      h('li', {}, 'If you are in danger now, call ', h('strong', {}, emergency), ' or use “I need help now” at the top of every page.'),
    ),
  );
}

export default function authScreen(app: App, _params: Record<string, string>): void {
  const signingUp = location.pathname !== '/signin';
  if (app.api.signedIn) {
    app.go('/play', true);
    return;
  }
  const errors = errorBox();
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, minlength: 3, maxlength: 32, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: signingUp ? 'new-password' : 'current-password', required: true, minlength: signingUp ? 8 : 1 });
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'email' });
  const consent = h('input', { type: 'checkbox', id: 'consent', name: 'consent', required: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, signingUp ? 'Create my account' : 'Sign in');

  const form = h(
    'form',
    { novalidate: true, class: 'stack' },
    errors.el,
    field('Username', username, signingUp ? '3 to 32 letters, numbers, dots, dashes or underscores. It does not have to be your real name.' : undefined),
    field('Password', password, signingUp ? 'At least 8 characters.' : undefined),
    signingUp ? field('Email (optional)', email, 'Only used if you ask to reset your password.') : null,
    signingUp ? h('div', { class: 'check' }, consent, h('label', { for: 'consent' }, 'I have read what TTA is and what it keeps, and I agree.')) : null,
    submit,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.clear();
    const u = username.value.trim();
    if (signingUp && !USERNAME.test(u)) return fail(username, 'Please choose a username of 3 to 32 letters, numbers, dots, dashes or underscores.');
    if (!u) return fail(username, 'Please enter your username.');
    if (signingUp && password.value.length < 8) return fail(password, 'Please choose a password of at least 8 characters.');
    if (!password.value) return fail(password, 'Please enter your password.');
    if (signingUp && !consent.checked) return fail(consent, 'Please read the note above and tick the box to agree.');
    try {
      await busy(submit, () => (signingUp ? app.api.register(u, password.value, email.value.trim() || undefined) : app.api.login(u, password.value)));
      app.go(signingUp ? '/welcome' : '/play');
    } catch (err) {
      errors.show(err instanceof ApiError ? err.message : String(err));
    }
  });
  function fail(input: HTMLElement, message: string): void {
    errors.show(message);
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }

  app.main.append(
    h('h1', {}, signingUp ? 'Create your account' : 'Welcome back'),
    h('p', { class: 'lead' }, 'TTA is a text adventure that helps: you play a story, and it weaves in small, proven ways to feel steadier.'),
    signingUp ? privacyNote() : '',
    form,
    h('p', {}, signingUp ? ['Already have an account? ', h('a', { href: '/signin', 'data-link': true }, 'Sign in')] : ['New here? ', h('a', { href: '/signup', 'data-link': true }, 'Create an account')]),
  );
}
