import { LoadingState } from '@/components/LoadingState';

export default function Loading() {
  return <LoadingState rows={3} />;
}
