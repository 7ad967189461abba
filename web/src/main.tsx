import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, getJson, whenUnauthenticated } from './api';
import { Layout } from './layout';
import { disconnectLive } from './live';
import { BatchesPage } from './pages/batches';
import { OverviewPage } from './pages/overview';
import { ProjectPage } from './pages/project';
import { ProjectsPage } from './pages/projects';
import { ReconciliationPage } from './pages/reconciliation';
import { SignInPage } from './pages/sign-in';
import { Route, useRoute } from './router';
import { Actor, forgetToken, seesBureauPages, storedToken } from './session';
import './styles.css';

function App() {
  const route = useRoute();
  const [actor, setActor] = useState<Actor | null | undefined>(storedToken() ? undefined : null);

  useEffect(() => {
    whenUnauthenticated(() => setActor(null));
    if (actor === undefined)
      getJson<Actor>('/api/session').then(setActor, (err: unknown) => {
        if (err instanceof ApiError && err.status === 401) forgetToken();
        setActor(null);
      });
  }, [actor]);

  if (actor === undefined) return <p class="loading">正在登录……</p>;
  if (actor === null) return <SignInPage onSignedIn={setActor} />;
  const signOut = () => {
    forgetToken();
    disconnectLive();
    setActor(null);
  };
  return (
    <Layout actor={actor} route={route} onSignOut={signOut}>
      {page(route, actor)}
    </Layout>
  );
}

function page(route: Route, actor: Actor) {
  const project = /^\/projects\/([^/]+)$/.exec(route.path);
  if (project) return <ProjectPage projectId={decodeURIComponent(project[1])} route={route} actor={actor} />;
  if (route.path === '/batches' && seesBureauPages(actor.role)) return <BatchesPage route={route} actor={actor} />;
  const account = /^\/reconciliation(?:\/([^/]+))?$/.exec(route.path);
  if (account && seesBureauPages(actor.role))
    return (
      <ReconciliationPage
        accountId={account[1] ? decodeURIComponent(account[1]) : undefined}
        route={route}
        actor={actor}
      />
    );
  if (route.path === '/') return <OverviewPage route={route} actor={actor} />;
  if (route.path === '/projects') return <ProjectsPage route={route} actor={actor} />;
  return (
    <p class="error" role="alert">
      没有这个页面：{route.path}
    </p>
  );
}

render(<App />, document.getElementById('app')!);
