import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { identify } from '../api/session';
import { errorText } from '../components/errors';
import { useSession } from '../components/session-context';

export function SignInPage() {
  const { signIn, endedBecause } = useSession();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit() {
    const k = key.trim();
    if (!k) {
      setError('Enter an API key.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      signIn(await identify(k));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Box padding={{ vertical: 'xxxl', horizontal: 'l' }}>
      <div style={{ maxWidth: 560, margin: '0 auto' }}>
        <ContentLayout header={<Header variant="h1" description="Ferry's operator console">Sign in</Header>}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <Form
              actions={
                <Button variant="primary" formAction="submit" loading={busy}>
                  Sign in
                </Button>
              }
            >
              <Container>
                <SpaceBetween size="m">
                  {endedBecause && <Alert type="warning">{endedBecause}</Alert>}
                  <FormField
                    label="API key"
                    description="An admin key sees every customer; a customer key sees only its customer. The key is kept in this tab's session storage until you sign out or close the tab."
                    errorText={error ?? undefined}
                  >
                    <Input
                      type="password"
                      value={key}
                      onChange={(e) => setKey(e.detail.value)}
                      placeholder="fry_… or the admin key"
                      autoFocus
                      ariaLabel="API key"
                      disableBrowserAutocorrect
                    />
                  </FormField>
                </SpaceBetween>
              </Container>
            </Form>
          </form>
        </ContentLayout>
      </div>
    </Box>
  );
}
