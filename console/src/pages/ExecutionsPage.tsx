import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import { ExecutionsView } from '../components/ExecutionsView';
import { useIsAdmin } from '../components/session-context';

export default function ExecutionsPage() {
  const admin = useIsAdmin();
  return (
    <ContentLayout header={<Header variant="h1" description={admin ? 'Every customer\u2019s executions, newest first.' : 'Your customer\u2019s executions, newest first.'}>Executions</Header>}>
      <ExecutionsView scope={{ kind: 'all' }} title="All executions" />
    </ContentLayout>
  );
}
