import { InstancesTable } from '../components/InstancesTable';

export default function InstancesPage() {
  return <InstancesTable />;
}
