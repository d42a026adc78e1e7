import { Link, useParams } from 'react-router-dom';
import { OrderDetailView } from '../../features/orders/components/order-detail.tsx';

export default function OrderRoute() {
  const { orderId = '' } = useParams();
  return (
    <>
      <div className="page-header">
        <Link to="/orders">Orders</Link>
        <span className="muted">/</span>
        <h1 className="mono">{orderId.slice(0, 8)}</h1>
      </div>
      <OrderDetailView orderId={orderId} />
    </>
  );
}
