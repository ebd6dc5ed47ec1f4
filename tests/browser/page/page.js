// The browser side: AWS Amplify v6 Auth, exposed on `window` for the Node driver (run.mjs),
// which calls it with page.evaluate. Bundled once per run by esbuild into dist/page.js.
import { Amplify } from 'aws-amplify';
import * as auth from 'aws-amplify/auth';

const functions = {
  ...auth,
  // The tokens as strings: JWT objects do not cross page.evaluate.
  async fetchAuthSession(options) {
    const session = await auth.fetchAuthSession(options);
    return {
      idToken: session.tokens?.idToken?.toString() ?? null,
      accessToken: session.tokens?.accessToken?.toString() ?? null,
      userSub: session.userSub ?? null,
    };
  },
};

window.auth = functions;

window.configureAmplify = (config) => {
  Amplify.configure(config);
  return Amplify.getConfig();
};

// Every call answers { ok: result } or { error: { name, message } }, so Amplify's error name
// (UserNotFoundException, NotAuthorizedException, ...) reaches the driver intact.
window.callAuth = async (name, ...args) => {
  try {
    const result = await functions[name](...args);
    return { ok: JSON.parse(JSON.stringify(result ?? null)) };
  } catch (error) {
    return {
      error: {
        name: error?.name ?? 'Error',
        message: error?.message ?? String(error),
        underlying: error?.underlyingError?.message ?? null,
      },
    };
  }
};

document.getElementById('status').textContent = 'ready';
