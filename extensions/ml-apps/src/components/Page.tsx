import styled from 'styled-components';

/** The frame of every ml-apps page: padded, its parts stacked with one gap. */
export const Page = styled.div`
  padding: 20px;
  display: flex;
  flex-direction: column;
  gap: 16px;
`;
