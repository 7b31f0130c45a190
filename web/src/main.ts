// The web player's entry: routes, the help control, and the service worker.
import './styles.css';
import { App } from './app';
import { setUpHelp } from './help';
import authScreen from './screens/auth';
import onboardingScreen, { characterScreen } from './screens/onboarding';
import playScreen, { sessionsScreen } from './screens/play';
import progressScreen from './screens/progress';
import settingsScreen from './screens/settings';
import worldsScreen from './screens/worlds';

const app = new App();
app.route('/signup', 'Create your account', async () => authScreen, false);
app.route('/signin', 'Sign in', async () => authScreen, false);
app.route('/welcome', 'Welcome', async () => onboardingScreen);
app.route('/welcome/:step', 'Welcome', async () => onboardingScreen);
app.route('/character', 'Your character', async () => characterScreen);
app.route('/worlds', 'Choose a world', async () => worldsScreen);
app.route('/play', 'Your stories', async () => sessionsScreen);
app.route('/play/:id', 'Play', async () => playScreen);
app.route('/progress', 'Progress', async () => progressScreen);
app.route('/settings', 'Settings', async () => settingsScreen);
app.route('/', 'TTA', async () => () => app.go(app.api.signedIn ? '/play' : '/signup', true), false);

setUpHelp(document.getElementById('help-now') as HTMLButtonElement, document.getElementById('help-dialog') as HTMLDialogElement);
app.start();

if ('serviceWorker' in navigator && location.protocol !== 'file:' && !import.meta.env.DEV) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // Without it the player still works; it just cannot open offline or install.
    });
  });
}
