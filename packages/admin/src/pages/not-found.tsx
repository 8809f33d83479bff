import { Link } from 'react-router';
import { PageHeader } from '../components/ui.js';

export default function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is nothing at this address. <Link to="/">Back to the start</Link>
      </p>
    </>
  );
}
