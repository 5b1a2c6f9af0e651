// The demo page's "change email": ask for a token at the new address (password required), then confirm it here
// with the token from that mail, pasted or carried in a link's fragment (/#email-change-token=...: a fragment never
// reaches the server or its logs). Confirming needs no session: the token names the account. And "verify my
// email" while the address is not verified: a mail with a token, pasted here. Uses app.js's call() and render().
'use strict';

const EMAIL_TOKEN_FRAGMENT = '#email-change-token=';

onClick('verify-email-send', async () => {
  await call('POST', '/accounts/email-verifications');
  $('verify-email-confirm').hidden = false;
  $('verify-email-token').focus();
  show('info', 'A verification mail is on its way to ' + $('verify-email-address').textContent + ': paste the '
    + 'token it holds below. In development, find it in the server log.');
});

onSubmit('verify-email-confirm', async (form) => {
  await call('POST', '/accounts/email-verifications/confirm', formBody(form));
  form.reset();
  $('verify-email-confirm').hidden = true;
  await render();
  show('info', 'Your email address is verified.');
});

onSubmit('change-email', async (form) => {
  await call('POST', '/accounts/users/me/email', formBody(form));
  form.reset();
  show('info', 'A confirmation token is on its way to the new address; nothing changes until you confirm it below. '
    + 'In development, find it in the server log.');
});

onSubmit('confirm-email', async (form) => {
  const { user } = await call('POST', '/accounts/users/me/email/confirm', formBody(form));
  form.reset();
  await render();
  show('info', 'Your account now uses ' + user.email + '; the old address was told.');
});

/** Fills the confirmation form from a link's fragment, on load and when a link changes only the fragment. */
function takeTokenFromFragment() {
  if (!location.hash.startsWith(EMAIL_TOKEN_FRAGMENT)) return;
  $('confirm-email-token').value = decodeURIComponent(location.hash.slice(EMAIL_TOKEN_FRAGMENT.length));
  history.replaceState(null, '', location.pathname + location.search); // the token leaves the address bar
}

takeTokenFromFragment();
window.addEventListener('hashchange', takeTokenFromFragment);
