import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import { paths, RLink } from '../components/links';

/** Also what a customer key sees for another customer's resource: the API answers 404 for both. */
export default function NotFoundPage({ what }: { what?: string }) {
  return (
    <Container header={<Header variant="h1">Not found</Header>}>
      <Box>
        {what ? `There is no ${what}, or this key may not see it.` : 'There is no such page.'} <RLink to={paths.instances()}>Go to the instances</RLink>
      </Box>
    </Container>
  );
}
