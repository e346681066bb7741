/** Mounts the app: the router (browser history), the data-fetching cache, and the app shell. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App.tsx';
import './style.css';

// A read that fails on a weak network is retried twice; a 4xx answer is final (ApiError carries the status).
const queries = new QueryClient({
  defaultOptions: { queries: { retry: (n, e) => n < 2 && !((e as { status?: number }).status! >= 400 && (e as { status?: number }).status! < 500), refetchOnWindowFocus: true } },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
