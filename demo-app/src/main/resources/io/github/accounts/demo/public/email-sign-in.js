// The demo page's sign-in by email: "Email me a sign-in link" mails a link and a code. The code box signs this page
// in; so does opening the link, whose token rides in the fragment (/#email-sign-in-token=...: a fragment never
// reaches the server or its logs) and leaves the address bar at once. Uses app.js's call() and mfa.js's second step.
'use strict';

const SIGN_IN_TOKEN_FRAGMENT = '#email-sign-in-token=';
let emailSignInAddress = null; // the address the code was mailed to, kept in memory only
onUserReset(() => { emailSignInAddress = null; });

onSubmit('email-sign-in', async (form) => {
  emailSignInAddress = formBody(form).email;
  await call('POST', '/accounts/sessions/email', { email: emailSignInAddress });
  $('email-sign-in-code-form').hidden = false;
  $('email-sign-in-code').focus();
  show('info', 'If that email has an account, a sign-in link and code are on their way: open the link, or enter '
    + 'the code below. In development, find the mail in the server log.');
});

onSubmit('email-sign-in-code-form', async (form) => {
  const data = await call('POST', '/accounts/sessions/email/confirm',
    { email: emailSignInAddress, code: formBody(form).code });
  form.reset();
  await signedInByEmail(data);
});

/** The inbox was proved: a session, or (TOTP on) mfa.js's second step. */
async function signedInByEmail(data) {
  $('email-sign-in-code-form').hidden = true;
  $('email-sign-in').reset();
  if (data.mfa) return askSecondFactor(data.mfa);
  keep(data.session);
  await render();
  show('info', 'Signed in by email.');
}

/** Signs in with a link's token, on load and when a link changes only the fragment. */
async function signInFromFragment() {
  if (!location.hash.startsWith(SIGN_IN_TOKEN_FRAGMENT)) return;
  const token = decodeURIComponent(location.hash.slice(SIGN_IN_TOKEN_FRAGMENT.length));
  history.replaceState(null, '', location.pathname + location.search); // the token leaves the address bar
  clearMessage();
  try {
    await signedInByEmail(await call('POST', '/accounts/sessions/email/confirm', { token }, false));
  } catch (problem) {
    showProblem(problem);
  }
}

signInFromFragment();
window.addEventListener('hashchange', signInFromFragment);
